// The urql client: a normalised cache keyed by the Relay `id`, queries and mutations over fetch,
// subscriptions over graphql-ws on /graphql. One client per session token.
import { Client, fetchExchange, subscriptionExchange } from 'urql'
import { cacheExchange, type Cache, type Data } from '@urql/exchange-graphcache'
import { createClient as createWsClient } from 'graphql-ws'
import { liveConnection } from './liveConnection.ts'
import schema from '../gql/graphcacheSchema.ts'

// Types without an id live inside their parent in the cache.
const EMBEDDED = [
  'AuthPayload', 'CreateApiTokenPayload', 'LogOutPayload', 'RetryFailedSyncsPayload', 'OcrUsage', 'PageInfo', 'TodoCounts',
  'NotebookSyncSummary', 'IntegrationCounts', 'IntegrationSettings', 'SyncProgress', 'NotebookTombstone',
  'ViewerNotebooksConnection', 'ViewerNotebooksConnectionEdge', 'NotebookPagesConnection', 'NotebookPagesConnectionEdge',
  'NotebookTodosConnection', 'NotebookTodosConnectionEdge', 'NotebookHighlightsConnection', 'NotebookHighlightsConnectionEdge',
  'ViewerTodosConnection', 'ViewerTodosConnectionEdge',
  'SearchConnection', 'SearchEdge', 'SearchHit', 'SearchSnippet', 'TextRange',
  'IntegrationTestResult', 'IntegrationProblem', 'NotionPropertyCheck', 'NotionDataSourceChoice', 'FindNotionDatabasesPayload',
  'DisconnectIntegrationPayload', 'SyncPreview', 'OcrPlan', 'LibraryExport', 'ViewerSyncRecordsConnection', 'ViewerSyncRecordsConnectionEdge',
  'NotionTokenRejectedError', 'NotionDatabaseNotSharedError', 'NotionMultipleDataSourcesError', 'NotionCapabilityMissingError',
  'NotionRateLimitedError', 'NotionUnreachableError', 'NotionPageNotSharedError',
  'ValidationError', 'ConflictError', 'NotFoundError', 'NotAllowedError', 'NotAuthenticatedError', 'RateLimitedError',
]

type Entity = { __typename?: string; id?: string } | null | undefined

/** The connection fields (any arguments) of `parent` named `field`. */
function fieldsNamed(cache: Cache, parent: string, field: string) {
  return cache.inspectFields(parent).filter((f) => f.fieldName === field)
}

/** The entity keys of the connection or list `field` of `parent`, under every argument set. */
function listedKeys(cache: Cache, parent: string, field: string): string[] {
  const keys: string[] = []
  for (const f of fieldsNamed(cache, parent, field)) {
    const value = cache.resolve(parent, f.fieldKey)
    if (Array.isArray(value)) {
      keys.push(...(value as unknown[]).filter((v): v is string => typeof v === 'string'))
      continue
    }
    if (typeof value !== 'string') continue
    const edges = cache.resolve(value, 'edges')
    if (!Array.isArray(edges)) continue
    for (const edge of edges) {
      const node = typeof edge === 'string' ? cache.resolve(edge, 'node') : null
      if (typeof node === 'string') keys.push(node)
    }
  }
  return keys
}

const isListed = (cache: Cache, parent: string, field: string, entityKey: string) => listedKeys(cache, parent, field).includes(entityKey)

function invalidateAll(cache: Cache, parent: string, field: string) {
  // Each argument set is its own field in the cache: invalidate every one, so the queries reading them run again.
  for (const f of fieldsNamed(cache, parent, field)) cache.invalidate(parent, f.fieldName, f.arguments ?? undefined)
}

/** A live event about an item its parent's list does not hold yet: read that list again. */
function refreshListMissing(cache: Cache, parent: Entity, field: string, item: Entity) {
  if (!parent?.id || !item?.id) return
  const parentKey = cache.keyOfEntity({ __typename: parent.__typename ?? 'Notebook', id: parent.id })
  const itemKey = cache.keyOfEntity(item as Data)
  if (!parentKey || !itemKey) return
  if (!isListed(cache, parentKey, field, itemKey)) invalidateAll(cache, parentKey, field)
}

export function makeClient(token: string | null, onUnauthenticated: () => void): { client: Client; dispose: () => void } {
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`
  let connectedBefore = false
  const ws = createWsClient({
    url: wsUrl,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    // graphql-ws retries with randomised exponential backoff; a dashboard left open should come back.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connecting: () => liveConnection.setState('connecting'),
      connected: () => {
        liveConnection.setState('live')
        if (connectedBefore) liveConnection.markReconnected()
        connectedBefore = true
      },
      closed: () => liveConnection.setState('offline'),
    },
  })

  const client = new Client({
    url: '/graphql',
    fetchOptions: (): RequestInit => ({ headers: token ? { authorization: `Bearer ${token}` } : ({} as Record<string, string>) }),
    // Initial data comes from queries; after that the cache changes only by mutation results and events.
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange({
        schema: schema as any,
        keys: Object.fromEntries(EMBEDDED.map((name) => [name, () => null])),
        updates: {
          Mutation: {
            createApiToken(_result, _args, cache) {
              const viewer = cache.resolve('Query', 'viewer')
              if (typeof viewer === 'string') cache.invalidate(viewer, 'apiTokens')
            },
            // The list of integrations gains or loses one: read it again.
            connectIntegration(_result, _args, cache) {
              const viewer = cache.resolve('Query', 'viewer')
              if (typeof viewer === 'string') cache.invalidate(viewer, 'integrations')
            },
            disconnectIntegration(_result, _args, cache) {
              const viewer = cache.resolve('Query', 'viewer')
              if (typeof viewer === 'string') cache.invalidate(viewer, 'integrations')
            },
          },
          Subscription: {
            notebookUpdated(result, _args, cache) {
              const nb = result.notebookUpdated as { id?: string; type?: string; deleted?: boolean } | undefined
              const viewer = cache.resolve('Query', 'viewer')
              if (!nb?.id || typeof viewer !== 'string' || nb.type === 'FOLDER' || nb.deleted) return
              refreshListMissing(cache, { __typename: 'Viewer', id: viewer.replace(/^Viewer:/, '') }, 'notebooks', { __typename: 'Notebook', id: nb.id })
            },
            pageUpdated(result, _args, cache) {
              const page = result.pageUpdated as { id?: string; notebook?: Entity } | undefined
              refreshListMissing(cache, page?.notebook, 'pages', { __typename: 'Page', id: page?.id })
            },
            todoUpdated(result, _args, cache) {
              const todo = result.todoUpdated as { id?: string; notebook?: Entity } | undefined
              refreshListMissing(cache, todo?.notebook, 'todos', { __typename: 'Todo', id: todo?.id })
            },
            highlightUpdated(result, _args, cache) {
              const h = result.highlightUpdated as { id?: string; page?: Entity } | undefined
              refreshListMissing(cache, h?.page && { __typename: 'Page', id: h.page.id }, 'highlights', { __typename: 'Highlight', id: h?.id })
            },
          },
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' }
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, {
                next: (value) => sink.next(value as any),
                error: (err) => {
                  // A revoked or expired session ends its subscriptions with NOT_AUTHENTICATED.
                  if (Array.isArray(err) && err.some((e: any) => e?.extensions?.code === 'NOT_AUTHENTICATED')) onUnauthenticated()
                  sink.error(err)
                },
                complete: () => sink.complete(),
              })
              return { unsubscribe }
            },
          }
        },
      }),
    ],
  })
  return { client, dispose: () => void ws.dispose() }
}
