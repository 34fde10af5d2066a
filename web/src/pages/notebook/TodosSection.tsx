// "Todos in this notebook": each todo's box, text, page, and its state at every target; failed ones
// retried one by one or all at once. Clicking the page jumps to its card.
import { useMutation } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { TodoSyncIcon } from '../../components/sync/TodoSyncIcon.tsx'
import { readTypedError, describeRequestError } from '../../lib/errors.ts'
import { pageAnchor } from './PageCard.tsx'
import styles from './NotebookPage.module.css'

export const TodoRowFragment = graphql(`
  fragment TodoRow_Todo on Todo {
    id text completed pageNumber removedAt
    page { id }
    syncRecords { id status ...SyncRecord_Fields }
  }
`)

const RetryFailedMutation = graphql(`
  mutation RetryFailedSyncs($input: RetryFailedSyncsInput!) {
    retryFailedSyncs(input: $input) {
      __typename
      ... on RetryFailedSyncsPayload { queued }
      ... on Error { message code }
    }
  }
`)

export function TodosSection(props: { notebookId: string; todos: FragmentType<typeof TodoRowFragment>[]; failedElsewhere: number; hitId?: string | null }) {
  const todos = props.todos.map((t) => getFragmentData(TodoRowFragment, t)).filter((t) => !t.removedAt)
  const [retry, runRetry] = useMutation(RetryFailedMutation)
  const open = todos.filter((t) => !t.completed).length
  const failedTodos = todos.filter((t) => t.syncRecords.some((r) => r.status === 'failed')).length
  const anyFailed = failedTodos + props.failedElsewhere > 0
  const retryError = readTypedError(retry.data?.retryFailedSyncs)?.message ?? (retry.error ? describeRequestError(retry.error) : null)

  return (
    <details className={`card ${styles.todos}`} open data-testid="todos">
      <summary className={styles.todosSummary}>
        <span className={styles.todosTitle}>
          <svg className={styles.chevron} viewBox="0 0 16 16" aria-hidden="true"><path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
          <h2>Todos in this notebook</h2>
          <span className="badge">{todos.length === 0 ? 'none' : `${open} open · ${todos.length - open} done`}</span>
        </span>
        {anyFailed && (
          <button type="button" className="btn btn-sm" disabled={retry.fetching} onClick={(e) => { e.preventDefault(); void runRetry({ input: { notebookId: props.notebookId } }) }}>
            {retry.fetching ? 'Retrying…' : 'Retry all failed'}
          </button>
        )}
      </summary>
      {retryError && <p className="field-error" role="alert">{retryError}</p>}
      {todos.length === 0 ? (
        <p className={styles.todosEmpty}>No checkboxes on these pages yet. Lines written as checkboxes on the tablet appear here.</p>
      ) : (
        <ul className={styles.todoList}>
          {todos.map((t) => (
            <li key={t.id} className={styles.todo} data-testid="todo" data-completed={t.completed} data-hit={t.id === props.hitId || undefined}>
              <span className={styles.box} role="img" aria-label={t.completed ? 'Done' : 'Open'} data-checked={t.completed}>
                {t.completed && <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 8.4l2.6 2.6L12 5.4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>}
              </span>
              <span className={styles.todoText}>{t.text}</span>
              {t.pageNumber != null && (
                <a className={styles.todoPage} href={`#${pageAnchor(t.pageNumber)}`} aria-label={`Go to page ${t.pageNumber}`}>
                  p.&nbsp;{t.pageNumber}
                </a>
              )}
              <span className={styles.todoSync}>
                {t.syncRecords.map((r) => <TodoSyncIcon key={r.id} record={r} />)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
