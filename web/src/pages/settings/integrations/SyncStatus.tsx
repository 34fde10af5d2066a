// A connected target's live sync state: synced / pending / failed counts (failed ones listed with
// Retry) and the catch-up progress, moved by the target's syncProgress events (no timer). Each event
// also calls onProgress so the card can re-read what it shows (last synced, status badge).
import { useState } from 'react'
import { useSubscription } from 'urql'
import { graphql } from '../../../gql/index.ts'
import type { IntegrationTarget } from '../../../gql/graphql.ts'
import { CatchUpProgress } from './CatchUpProgress.tsx'
import { FailedItems } from './FailedItems.tsx'
import { useProgressRate, type ProgressSample } from './useProgressRate.ts'
import styles from './Integrations.module.css'

const Progress = graphql(`
  subscription TargetSyncProgress($target: IntegrationTarget!) { syncProgress(target: $target) { target synced pending failed total } }
`)

export function SyncStatus(props: {
  target: IntegrationTarget
  /** Prefix of the counts' test id (`${testId}-counts`). */
  testId: string
  counts: { synced: number; pending: number; failed: number }
  enabled: boolean
  dryRun: boolean
  onProgress: () => void
}) {
  const [latest, setLatest] = useState<ProgressSample | null>(null)
  const rate = useProgressRate(latest)
  useSubscription({ query: Progress, variables: { target: props.target } }, (_prev, event) => {
    setLatest({ ...event.syncProgress, at: Date.now() })
    props.onProgress()
    return event
  })
  const counts = latest ?? { ...props.counts, total: props.counts.synced + props.counts.pending + props.counts.failed }
  const [showFailed, setShowFailed] = useState(false)
  return (
    <>
      <div className={styles.counts} data-testid={`${props.testId}-counts`}>
        <span className={styles.count}><b>{counts.synced}</b> synced</span>
        <span className={styles.count} data-tone={counts.pending ? 'pending' : undefined}><b>{counts.pending}</b> pending</span>
        {counts.failed > 0 ? (
          <button type="button" className={`${styles.count} ${styles.countButton}`} data-tone="failed" aria-expanded={showFailed} onClick={() => setShowFailed((v) => !v)}>
            <b>{counts.failed}</b> failed — {showFailed ? 'hide' : 'show'}
          </button>
        ) : (
          <span className={styles.count}><b>0</b> failed</span>
        )}
      </div>
      <CatchUpProgress progress={counts} rate={rate} enabled={props.enabled} dryRun={props.dryRun} />
      {showFailed && counts.failed > 0 && <FailedItems target={props.target} />}
    </>
  )
}
