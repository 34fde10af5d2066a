// What one Notion sync of one notebook works with: its environment (the port to Notion, where state
// is saved, the database's schema), the notebook's model, and its results so far. The steps of a run
// (notebookSync.ts, intentRecovery.ts, adoptExistingPage.ts) share it.
import type { Logger } from '../../logger.ts'
import type { NotionPort } from './notionPort.ts'
import type { NotebookModel } from './notebookModel.ts'
import type { NotionSchema } from './notebookProperties.ts'
import type { SyncStore } from './syncStore.ts'

export interface NotebookSyncEnv {
  port: NotionPort
  /** Reads that change nothing, when they must reach Notion although `port` does not (a dry run). */
  reader?: NotionPort
  store: SyncStore
  schema: NotionSchema
  destination: { databaseId: string; dataSourceId: string | null }
  logger: Logger
  now: () => Date
}

export interface SectionFailure {
  pageId: number
  message: string
}

export interface NotebookSyncResult {
  /** Notion requests sent (or planned, in a dry run). */
  requests: number
  /** Sections Notion refused (validation): the rest of the notebook went through. */
  failedSections: SectionFailure[]
}

export interface NotebookRun {
  readonly env: NotebookSyncEnv
  readonly model: NotebookModel
  readonly result: NotebookSyncResult
}

/** Every child of a block, page after page (each page one request). */
export async function readAllChildren(run: NotebookRun, port: NotionPort, blockId: string) {
  const all: Awaited<ReturnType<NotionPort['listChildren']>>['results'] = []
  let cursor: string | undefined
  do {
    run.result.requests++
    const page = await port.listChildren(blockId, cursor)
    all.push(...page.results)
    cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined
  } while (cursor)
  return all
}
