import { useLiveState } from '../lib/liveConnection.ts'
import styles from './LiveDot.module.css'

const LABEL = { live: 'Live', connecting: 'Connecting…', offline: 'Offline — reconnecting' } as const

/** Whether changes arrive as they happen; after a reconnect, pages read their data again. */
export function LiveDot() {
  const state = useLiveState()
  return (
    <span className={styles.live} data-state={state} role="status" title={state === 'live' ? 'Changes appear as they happen' : LABEL[state]}>
      <span className={styles.dot} aria-hidden="true" />
      <span className={styles.label}>{LABEL[state]}</span>
    </span>
  )
}
