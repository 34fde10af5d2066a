// One target's state of a todo as an icon; a failure's error shows on hover (title) and on tap or
// keyboard (the icon is a button that opens it), with Retry beside it.
import { useId, useState } from 'react'
import { useMutation } from 'urql'
import { getFragmentData, type FragmentType } from '../../gql/index.ts'
import { SyncRecordFieldsFragment } from './SyncRecordFields.ts'
import { RetrySyncMutation } from './retrySync.ts'
import { SyncIcon } from './SyncIcon.tsx'
import { targetLabel, toneOf } from './syncWords.ts'
import styles from './sync.module.css'

export function TodoSyncIcon(props: { record: FragmentType<typeof SyncRecordFieldsFragment> }) {
  const record = getFragmentData(SyncRecordFieldsFragment, props.record)
  const [open, setOpen] = useState(false)
  const [retry, runRetry] = useMutation(RetrySyncMutation)
  const detailId = useId()
  const tone = toneOf(record.status)
  const target = targetLabel(record.target)
  const words = tone === 'success' ? `Synced to ${target}` : tone === 'failed' ? `${target}: failed` : `${target}: syncing…`
  const label = tone === 'success' ? 'Synced' : tone === 'failed' ? 'Failed' : 'Syncing…'

  if (tone !== 'failed') {
    return (
      <span className={styles.todoState} data-tone={tone} title={words} data-testid="todo-sync">
        <SyncIcon tone={tone} />
        <span className={styles.todoStateLabel}>{label}</span>
        <span className="visually-hidden"> ({target})</span>
      </span>
    )
  }
  return (
    <span className={styles.todoFailed} data-testid="todo-sync" data-tone={tone}>
      <button type="button" className={styles.todoState} data-tone={tone} title={`${words}: ${record.errorMessage ?? 'no reason given'}`} aria-expanded={open} aria-controls={detailId} onClick={() => setOpen((v) => !v)}>
        <SyncIcon tone={tone} />
        <span className={styles.todoStateLabel}>{label}</span>
        <span className="visually-hidden"> ({target}) — show why</span>
      </button>
      <button type="button" className="btn btn-sm" disabled={retry.fetching} onClick={() => runRetry({ input: { id: record.id } })}>
        {retry.fetching ? 'Retrying…' : 'Retry'}
      </button>
      {open && (
        <span id={detailId} role="note" className={styles.todoError}>
          {target}: {record.errorMessage ?? 'The target refused this item without a reason.'}
        </span>
      )}
    </span>
  )
}
