// The items that failed at a target, each with its error and Retry; read again when a record of the
// target changes (an event).
import { useMutation, useQuery, useSubscription } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { RelativeTime } from '../../../components/RelativeTime.tsx'
import { RetrySyncMutation } from '../../../components/sync/retrySync.ts'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import { Link } from '../../../lib/router.tsx'
import { describeSyncItem } from './syncItemWords.ts'
import type { IntegrationTarget } from '../../../gql/graphql.ts'
import styles from './Integrations.module.css'

const FailedQuery = graphql(`
  query FailedSyncItems($target: IntegrationTarget!) {
    viewer {
      id
      syncRecords(target: $target, status: [failed], first: 50) {
        totalCount
        edges {
          node {
            id status errorMessage updatedAt
            item {
              __typename
              ... on Page { id pageNumber notebook { id visibleName } }
              ... on Todo { id text notebook { id visibleName } }
              ... on Highlight { id text notebook { id visibleName } }
              ... on Notebook { id visibleName }
            }
          }
        }
      }
    }
  }
`)

const RecordChanged = graphql(`
  subscription FailedSyncItemsChanged { syncRecordUpdated { id target status errorMessage updatedAt } }
`)

function notebookIdOf(item: { __typename: string; id?: string; notebook?: { id: string } } | null | undefined) {
  if (!item) return null
  return item.__typename === 'Notebook' ? item.id ?? null : item.notebook?.id ?? null
}

export function FailedItems({ target }: { target: IntegrationTarget }) {
  const [{ data, error }, refetch] = useQuery({ query: FailedQuery, variables: { target }, requestPolicy: 'network-only' })
  useSubscription({ query: RecordChanged }, (_prev, event) => {
    if (event.syncRecordUpdated.target === target) refetch({ requestPolicy: 'network-only' })
    return event
  })
  const [retrying, retry] = useMutation(RetrySyncMutation)
  const records = (data?.viewer?.syncRecords.edges ?? []).map((e) => e.node).filter((r) => r.status === 'failed')
  const retryError = readTypedError(retrying.data?.retrySync)?.message ?? describeRequestError(retrying.error)
  return (
    <div className={styles.failed} data-testid="failed-items">
      <h3>Failed items</h3>
      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {data && records.length === 0 && <p className="muted small">Nothing failed.</p>}
      <ul className={styles.failedList}>
        {records.map((r) => {
          const notebookId = notebookIdOf(r.item as any)
          const words = describeSyncItem(r.item as any)
          return (
            <li key={r.id} className={styles.failedRow} data-testid="failed-item">
              <div className={styles.failedMain}>
                <p className={styles.choiceLabel}>{notebookId ? <Link to={`/dashboard/notebooks/${notebookId}`}>{words}</Link> : words}</p>
                <p className={styles.failedError}>{r.errorMessage ?? 'No reason given'} · <RelativeTime iso={r.updatedAt} /></p>
              </div>
              <button className="btn btn-sm" disabled={retrying.fetching} onClick={() => retry({ input: { id: r.id } })} aria-label={`Retry ${words}`}>Retry</button>
            </li>
          )
        })}
      </ul>
      {retryError && <p className="field-error" role="alert">{retryError}</p>}
    </div>
  )
}
