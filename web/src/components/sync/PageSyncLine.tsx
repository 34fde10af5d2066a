// A page's state at one target, in words: "Last synced to Notion: 2 hours ago", "Notion: Syncing…",
// "Notion: Failed – <error>" with Retry.
import { useMutation } from 'urql'
import { getFragmentData, type FragmentType } from '../../gql/index.ts'
import { SyncRecordFieldsFragment } from './SyncRecordFields.ts'
import { RetrySyncMutation } from './retrySync.ts'
import { SyncIcon } from './SyncIcon.tsx'
import { targetLabel, toneOf } from './syncWords.ts'
import { RelativeTime } from '../RelativeTime.tsx'
import { readTypedError } from '../../lib/errors.ts'
import styles from './sync.module.css'

export function PageSyncLine(props: { record: FragmentType<typeof SyncRecordFieldsFragment> }) {
  const record = getFragmentData(SyncRecordFieldsFragment, props.record)
  const [retry, runRetry] = useMutation(RetrySyncMutation)
  const tone = toneOf(record.status)
  const target = targetLabel(record.target)
  const retryError = readTypedError(retry.data?.retrySync)
  return (
    <div className={styles.pageLine} data-tone={tone} data-testid="page-sync" data-target={record.target.toLowerCase()}>
      <SyncIcon tone={tone} />
      <p className={styles.pageLineText}>
        {tone === 'success' &&
          (record.syncedAt ? (
            <>Last synced to {target}: <RelativeTime iso={record.syncedAt} /></>
          ) : (
            <>Synced to {target}</>
          ))}
        {tone === 'pending' && <>{target}: Syncing…</>}
        {tone === 'failed' && (
          <>
            {target}: Failed – <span className={styles.error}>{record.errorMessage ?? 'the target refused this page without a reason'}</span>
          </>
        )}
      </p>
      {tone === 'failed' && (
        <button type="button" className="btn btn-sm" disabled={retry.fetching} onClick={() => runRetry({ input: { id: record.id } })}>
          {retry.fetching ? 'Retrying…' : 'Retry'}
        </button>
      )}
      {retryError && <p className="field-error" role="alert">{retryError.message}</p>}
    </div>
  )
}
