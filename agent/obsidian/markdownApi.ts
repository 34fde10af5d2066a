// The service as `agent obsidian` sees it: the library listed with each notebook's Markdown version and
// path, notebooks' Markdown fetched a few at a time. Results are typed by codegen (agent/gql).
import type { ApiClient, ApiResult } from '../api.ts'
import type { AgentWriteInput, MarkdownLibraryQuery, NotebookMarkdownQuery, ReportAgentSyncInput } from '../gql/graphql.ts'
import { MARKDOWN_LIBRARY, NOTEBOOK_MARKDOWN, REPORT_AGENT_SYNC } from './operations.ts'
import type { RemoteNotebook } from './vaultWriter.ts'

/** Notebooks per listing request (the server's largest page). */
const LIST_PAGE_SIZE = 500
/** Notebooks per Markdown request (a big notebook's Markdown is a few hundred KB). */
export const FETCH_BATCH_SIZE = 10
/** Notebooks per report (the server's limit). */
export const REPORT_BATCH_SIZE = 500

export type AgentWrite = AgentWriteInput

export interface MarkdownApi {
  /** Every notebook, PDF and EPUB with its version and path; fails as a whole if any page of the listing fails. */
  listLibrary(): Promise<ApiResult<{ viewerId: string; notebooks: RemoteNotebook[] }>>
  /** The notebooks still there among `ids`, each with the version of exactly this Markdown. */
  fetchMarkdown(ids: readonly string[]): Promise<ApiResult<(RemoteNotebook & { markdown: string })[]>>
  /** Tells the server what was written (so the vault shows as target OBSIDIAN with a status per notebook). */
  report(written: readonly AgentWrite[], removedUuids: readonly string[]): Promise<ApiResult<true>>
}

export function makeMarkdownApi(client: ApiClient): MarkdownApi {
  return {
    async listLibrary() {
      const notebooks: RemoteNotebook[] = []
      let after: string | null = null
      let viewerId = ''
      for (;;) {
        const result = await client.execute('MarkdownLibrary', MARKDOWN_LIBRARY, { first: LIST_PAGE_SIZE, after }, 'viewer')
        if (!result.ok) return result
        const viewer = result.value as MarkdownLibraryQuery['viewer']
        if (!viewer) return { ok: false, error: { code: 'NOT_AUTHENTICATED', message: 'the server did not accept the token' } }
        viewerId = viewer.id
        const page = viewer.markdownLibrary
        for (const { node } of page.edges) notebooks.push({ id: node.id, uuid: node.uuid, version: node.markdownVersion, path: node.markdownPath })
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break
        after = page.pageInfo.endCursor
      }
      return { ok: true, value: { viewerId, notebooks } }
    },

    async fetchMarkdown(ids) {
      if (ids.length === 0) return { ok: true, value: [] }
      const result = await client.execute('NotebookMarkdown', NOTEBOOK_MARKDOWN, { ids: [...ids] }, 'nodes')
      if (!result.ok) return result
      const nodes = result.value as NotebookMarkdownQuery['nodes']
      const found: (RemoteNotebook & { markdown: string })[] = []
      for (const node of nodes) {
        if (node?.__typename !== 'Notebook') continue // deleted meanwhile
        found.push({ id: node.id, uuid: node.uuid, version: node.markdownVersion, path: node.markdownPath, markdown: node.markdown })
      }
      return { ok: true, value: found }
    },

    async report(written, removedUuids) {
      const input: ReportAgentSyncInput = { target: 'OBSIDIAN', written: [...written], removedUuids: [...removedUuids] }
      const result = await client.execute('ReportAgentSync', REPORT_AGENT_SYNC, { input }, 'reportAgentSync')
      return result.ok ? { ok: true, value: true } : result
    },
  }
}
