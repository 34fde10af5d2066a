// /dashboard/todos — everything you still have to do: the open todos of every notebook, newest
// first, grouped by notebook, each with its page and its state at every target. Live: a todo ticked
// on the tablet leaves the list as its event arrives; a new one brings the list in again.
import { useMemo } from 'react'
import { useQuery, useSubscription } from 'urql'
import { graphql } from '../../gql/index.ts'
import { Link } from '../../lib/router.tsx'
import { useRefetchOnReconnect } from '../../lib/liveConnection.ts'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import { TodoSyncIcon } from '../../components/sync/TodoSyncIcon.tsx'
import { useMoreHits } from './useMoreHits.ts'
import { groupByNotebook } from './groupByNotebook.ts'
import { hitUrl } from './searchUrls.ts'
import styles from './Search.module.css'

const OpenTodosQuery = graphql(`
  query OpenTodos($first: Int, $after: String) {
    viewer {
      id
      search(first: $first, after: $after, filter: { kinds: [TODO], open: true }) {
        __typename
        ... on SearchConnection {
          pageInfo { hasNextPage endCursor }
          edges {
            cursor
            node {
              pageNumber
              notebook { id visibleName folderPath }
              item { __typename ... on Todo { id text completed removedAt syncRecords { id ...SyncRecord_Fields } } }
            }
          }
        }
        ... on Error { message code }
      }
    }
  }
`)

const TodoChanged = graphql(`
  subscription OpenTodosTodoChanged {
    todoUpdated { id text completed removedAt pageNumber syncRecords { id ...SyncRecord_Fields } notebook { id } }
  }
`)

const PAGE_SIZE = 50

export function OpenTodosPage() {
  const variables = useMemo(() => ({ first: PAGE_SIZE }), [])
  const [{ data, error, fetching }, refetch] = useQuery({ query: OpenTodosQuery, variables })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  const result = data?.viewer?.search
  const connection = result?.__typename === 'SearchConnection' ? result : null
  const typedError = readTypedError(result && result.__typename !== 'SearchConnection' ? result : null)
  const { edges, hasNextPage, showMore, loading: loadingMore, error: moreError } = useMoreHits(OpenTodosQuery, variables, connection)

  // Ticked or removed todos leave the view at once (their events update them in the cache).
  const open = edges.filter((e) => e.node.item.__typename === 'Todo' && !e.node.item.completed && !e.node.item.removedAt)
  const listed = new Set(edges.map((e) => e.node.item.__typename === 'Todo' && e.node.item.id))
  useSubscription({ query: TodoChanged }, (_prev, event) => {
    const todo = event.todoUpdated
    // An open todo this list does not hold (new, or un-ticked): read the list again.
    if (!todo.completed && !todo.removedAt && !listed.has(todo.id)) refetch({ requestPolicy: 'network-only' })
    return event
  })
  const groups = useMemo(() => groupByNotebook(open), [open])

  return (
    <div className={styles.page}>
      <header className={styles.head}>
        <div>
          <h1>Open todos</h1>
          <p className={styles.sub} aria-live="polite">
            {connection ? (open.length === 0 ? 'Nothing left to do.' : `${open.length}${hasNextPage ? '+' : ''} still to do, in ${groups.length} ${groups.length === 1 ? 'notebook' : 'notebooks'} · newest first`) : '\u00a0'}
          </p>
        </div>
      </header>
      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {typedError && <p className="notice notice-error" role="alert">{typedError.message}</p>}
      {!data && fetching && <div className="skeleton" style={{ height: 160 }} aria-busy="true" aria-label="Loading the todos" />}
      {connection && open.length === 0 && (
        <div className="card card-pad">
          <p>Every checkbox in your notebooks is ticked.</p>
          <p className="muted small">Lines written as checkboxes on the tablet appear here until you tick them.</p>
        </div>
      )}
      <div className={styles.groups}>
        {groups.map((group) => {
          const notebook = group[0].node.notebook
          return (
            <section key={notebook.id} className={styles.group} aria-label={notebook.visibleName} data-testid="todo-group">
              <h2 className={styles.groupHead}>
                <Link to={`/dashboard/notebooks/${encodeURIComponent(notebook.id)}`}>{notebook.visibleName}</Link>
                {notebook.folderPath && <span className={styles.folder}>{notebook.folderPath}</span>}
              </h2>
              <ul className={`card ${styles.hits}`}>
                {group.map(({ cursor, node }) => {
                  if (node.item.__typename !== 'Todo') return null
                  const todo = node.item
                  return (
                    <li key={cursor} className={styles.todo} data-testid="open-todo">
                      <span className={styles.box} aria-hidden="true" />
                      <span className={styles.todoText}>{todo.text}</span>
                      {node.pageNumber != null && (
                        <Link to={hitUrl(notebook.id, todo.id, node.pageNumber)} className={styles.todoPage} aria-label={`${todo.text}: go to page ${node.pageNumber} of ${notebook.visibleName}`}>
                          p.&nbsp;{node.pageNumber}
                        </Link>
                      )}
                      <span className={styles.todoSync}>{todo.syncRecords.map((r) => <TodoSyncIcon key={r.id} record={r} />)}</span>
                    </li>
                  )
                })}
              </ul>
            </section>
          )
        })}
      </div>
      {hasNextPage && (
        <div className={styles.more}>
          <button type="button" className="btn" disabled={loadingMore} onClick={() => void showMore()}>{loadingMore ? 'Loading…' : 'Show more'}</button>
          {moreError && <p className="field-error" role="alert">{moreError}</p>}
        </div>
      )}
    </div>
  )
}
