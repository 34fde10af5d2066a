// The Notion calls the sync makes, as one small interface: the SDK behind it in production (paced,
// its retries off), a recorder in dry runs. Every failure comes out as a SyncCallError saying what
// the engine should do with it.
import { APIResponseError, RequestTimeoutError, UnknownHTTPResponseError, type Client } from '@notionhq/client'
import { NotionPacerWaitError } from '../pacer.ts'
import type { NotionBlock } from '../blockTypes.ts'

export interface ListedBlock {
  id: string
  type: string
  has_children: boolean
  [key: string]: any
}

export interface NotionPort {
  createPage(args: { parent: { data_source_id: string } | { database_id: string }; properties: Record<string, unknown> }): Promise<{ id: string }>
  updatePage(pageId: string, args: { properties?: Record<string, unknown>; in_trash?: boolean }): Promise<void>
  queryByUuid(dataSourceId: string, uuidProperty: string, uuid: string): Promise<{ id: string }[]>
  retrieveDataSource(dataSourceId: string): Promise<{ properties: Record<string, { type: string }> }>
  retrieveDatabase(databaseId: string): Promise<{ data_sources: { id: string }[] }>
  append(parentId: string, children: NotionBlock[], after?: string): Promise<{ results: { id: string }[] }>
  listChildren(blockId: string, startCursor?: string): Promise<{ results: ListedBlock[]; next_cursor: string | null; has_more: boolean }>
  updateBlock(blockId: string, body: Record<string, unknown>): Promise<void>
  deleteBlock(blockId: string): Promise<void>
}

export type SyncCallErrorKind =
  | 'rate_limited' // 429/529: wait Retry-After
  | 'transient' // 5xx, timeouts, network, 409: back off and retry
  | 'unauthorized' // 401: the token was revoked — wait for the user
  | 'forbidden' // 403: a capability is missing — wait for the user
  | 'not_found' // 404: the object is gone or no longer shared
  | 'archived' // editing a trashed block or page
  | 'invalid' // 400 validation: this request will never pass

export class SyncCallError extends Error {
  constructor(
    readonly kind: SyncCallErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'SyncCallError'
  }

  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient'
  }
}

function readRetryAfter(headers: unknown): number | undefined {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers as Record<string, string> | undefined)?.[name])
  const value = get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export function classifySyncError(error: unknown): SyncCallError {
  if (error instanceof SyncCallError) return error
  if (error instanceof NotionPacerWaitError) return new SyncCallError('rate_limited', error.message, error.retryAfterMs)
  if (error instanceof RequestTimeoutError) return new SyncCallError('transient', 'Notion did not answer in time')
  if (APIResponseError.isAPIResponseError(error)) {
    const status = error.status
    if (status === 429 || status === 529) return new SyncCallError('rate_limited', 'Notion rate limited the integration', readRetryAfter(error.headers) ?? 1000, status)
    if (status === 401) return new SyncCallError('unauthorized', 'Notion rejected the token: reconnect the integration', undefined, status)
    if (status === 403) return new SyncCallError('forbidden', `Notion refused: ${error.message}`, undefined, status)
    if (status === 404) return new SyncCallError('not_found', error.message, undefined, status)
    if (status === 409 || status >= 500) return new SyncCallError('transient', `Notion answered ${status}: ${error.message}`, undefined, status)
    if (/archived/i.test(error.message)) return new SyncCallError('archived', error.message, undefined, status)
    return new SyncCallError('invalid', error.message, undefined, status)
  }
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error)) return new SyncCallError('transient', `Notion answered ${error.status}`, undefined, error.status)
  if (error instanceof TypeError || (error as any)?.name === 'AbortError') return new SyncCallError('transient', 'Could not reach Notion')
  throw error
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw classifySyncError(error)
  }
}

export function makeSdkNotionPort(client: Client): NotionPort {
  return {
    createPage: (args) => call(async () => ({ id: (await client.pages.create({ parent: args.parent as any, properties: args.properties as any })).id })),
    updatePage: (pageId, args) => call(async () => void (await client.pages.update({ page_id: pageId, ...(args as any) }))),
    queryByUuid: (dataSourceId, uuidProperty, uuid) =>
      call(async () => {
        const r = await client.dataSources.query({ data_source_id: dataSourceId, filter: { property: uuidProperty, rich_text: { equals: uuid } } as any, page_size: 10 })
        return r.results.filter((p: any) => !p.in_trash && !p.archived).map((p) => ({ id: p.id }))
      }),
    retrieveDataSource: (id) => call(async () => (await client.dataSources.retrieve({ data_source_id: id })) as any),
    retrieveDatabase: (id) => call(async () => (await client.databases.retrieve({ database_id: id })) as any),
    append: (parentId, children, after) =>
      call(async () => {
        const r = await client.blocks.children.append({ block_id: parentId, children: children as any, ...(after ? { after } : {}) })
        return { results: r.results.map((b) => ({ id: b.id })) }
      }),
    listChildren: (blockId, startCursor) =>
      call(async () => (await client.blocks.children.list({ block_id: blockId, page_size: 100, ...(startCursor ? { start_cursor: startCursor } : {}) })) as any),
    updateBlock: (blockId, body) => call(async () => void (await client.blocks.update({ block_id: blockId, ...(body as any) }))),
    deleteBlock: (blockId) => call(async () => void (await client.blocks.delete({ block_id: blockId }))),
  }
}
