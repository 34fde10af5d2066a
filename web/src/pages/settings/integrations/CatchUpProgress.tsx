// Catch-up progress from syncProgress: done / total, rate and time left. It reads the current counts
// when the page opens, so a reload shows where the catch-up stands.
import type { ProgressRate } from './useProgressRate.ts'
import styles from './Integrations.module.css'

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

export function CatchUpProgress(props: { progress: { synced: number; pending: number; failed: number; total: number }; rate: ProgressRate | null; enabled: boolean; dryRun: boolean }) {
  const { synced, pending, failed, total } = props.progress
  const done = synced + failed
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
  const words =
    total === 0
      ? 'Nothing to sync yet: notebooks appear here as the agent uploads them.'
      : pending === 0
        ? `Up to date: ${done} of ${total} items (100 %)${failed ? `, ${failed} failed` : ''}.`
        : !props.enabled
          ? `Paused: ${pending} ${pending === 1 ? 'item waits' : 'items wait'} until you turn syncing back on.`
          : props.dryRun
            ? `Dry run: ${pending} ${pending === 1 ? 'item is' : 'items are'} planned, not sent.`
            : `Catching up: ${done} of ${total} items (${percent} %)${props.rate ? ` · ${props.rate.perSecond.toFixed(1)} per second · about ${formatDuration(props.rate.secondsLeft)} left` : ''}`
  return (
    <div className={styles.progress} data-testid="sync-progress" data-percent={percent} data-pending={pending}>
      <div className={styles.progressTrack} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Sync progress">
        <div className={styles.progressFill} style={{ width: `${percent}%` }} data-tone={pending === 0 ? 'done' : props.enabled && !props.dryRun ? 'working' : 'waiting'} />
      </div>
      <p className={styles.progressWords}>{words}</p>
    </div>
  )
}
