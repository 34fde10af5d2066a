// Step one of a pass: send the metadata of every notebook and folder that changed since the server
// last accepted it, parents before children, in batches; a batch the server refuses is split until
// the one bad notebook is found, so it alone is skipped.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { isAuthError, type ApiClient, type ApiError } from './api.ts'
import type { NotebookMetadataInput } from './operations.ts'
import type { FileProblem, LibraryItem } from './readLibrary.ts'
import type { AgentState } from './state.ts'

export const METADATA_BATCH = 500
// Refusals that point at one notebook's content, so splitting the batch finds it. Anything else
// (a schema mismatch, an outage) would fail every half the same way: no point sending 2N requests.
const BISECTABLE_ERRORS = new Set(['INVALID_INPUT', 'VALIDATION_ERROR', 'NOT_FOUND', 'CONFLICT'])

export interface MetadataSyncResult {
  synced: number
  problems: FileProblem[]
  /** Notebooks not synced for reasons of the connection, not of their content. */
  transientFailures: number
  /** Set when the token was refused: the pass stops. */
  fatal: ApiError | null
}

export function makeMetadataInput(item: LibraryItem): NotebookMetadataInput {
  return {
    uuid: item.uuid,
    visibleName: item.visibleName,
    type: item.type,
    parentUuid: item.parentUuid,
    ...(item.type === 'FOLDER' ? {} : { pageUuids: item.pageUuids }),
    tags: item.tags,
    lastModified: item.lastModified,
    lastOpened: item.lastOpened,
    lastOpenedPage: item.lastOpenedPage,
    pinned: item.pinned,
    deleted: false,
  }
}

/** Keys are built in a fixed order by makeMetadataInput, so JSON.stringify is a stable form. */
export function hashMetadataInput(input: NotebookMetadataInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex')
}

export async function syncChangedMetadata(
  api: ApiClient,
  state: AgentState,
  folder: string,
  live: LibraryItem[],
  options: { force?: Set<string>; onSaved: () => void },
): Promise<MetadataSyncResult> {
  const changed = sortParentsFirst(live)
    .map((item) => makeMetadataInput(item))
    .map((input) => ({ input, hash: hashMetadataInput(input) }))
    .filter(({ input, hash }) => options.force?.has(input.uuid) || state.notebooks[input.uuid]?.metadataHash !== hash)
  const result: MetadataSyncResult = { synced: 0, problems: [], transientFailures: 0, fatal: null }

  const send = async (batch: typeof changed): Promise<void> => {
    if (result.fatal || batch.length === 0) return
    const response = await api.syncNotebookMetadata(batch.map((entry) => entry.input))
    if (response.ok) {
      for (const { input, hash } of batch) state.notebooks[input.uuid] = { metadataHash: hash }
      result.synced += batch.length
      options.onSaved()
      return
    }
    if (isAuthError(response.error)) {
      result.fatal = response.error
      return
    }
    if (batch.length > 1 && BISECTABLE_ERRORS.has(response.error.code)) {
      const half = Math.ceil(batch.length / 2)
      await send(batch.slice(0, half))
      await send(batch.slice(half))
      return
    }
    if (isTransportError(response.error)) result.transientFailures += batch.length
    for (const { input } of batch)
      result.problems.push({ file: path.join(folder, `${input.uuid}.metadata`), reason: `metadata not synced: ${response.error.code}: ${response.error.message}` })
  }

  for (let i = 0; i < changed.length; i += METADATA_BATCH) await send(changed.slice(i, i + METADATA_BATCH))
  return result
}

/** The server can then file each item under a parent it already knows. */
function sortParentsFirst(items: LibraryItem[]): LibraryItem[] {
  const byUuid = new Map(items.map((item) => [item.uuid, item]))
  const depthOf = (item: LibraryItem): number => {
    let depth = 0
    const seen = new Set([item.uuid])
    for (let parent = item.parentUuid; parent && byUuid.has(parent) && !seen.has(parent); parent = byUuid.get(parent)!.parentUuid) {
      seen.add(parent)
      depth++
    }
    return depth
  }
  return items
    .map((item) => ({ item, depth: depthOf(item) }))
    .sort((a, b) => a.depth - b.depth || (a.item.uuid < b.item.uuid ? -1 : a.item.uuid > b.item.uuid ? 1 : 0))
    .map(({ item }) => item)
}

/** Failures of the connection rather than of the content: splitting the batch would not help. */
export function isTransportError(error: ApiError): boolean {
  return ['NETWORK_ERROR', 'SERVER_ERROR', 'RATE_LIMITED', 'ABORTED', 'BAD_RESPONSE', 'HTTP_ERROR'].includes(error.code)
}
