// The frame every target's card shares: its mark, name, one status badge and a line saying what it
// does; the body is the target's own. A new target (Readwise…) is one card built on this and one
// entry in targets.tsx.
import type { ReactNode } from 'react'
import styles from './Integrations.module.css'

export type TargetStatusTone = 'success' | 'warning' | 'danger' | 'accent' | 'neutral'

export interface TargetStatus {
  tone: TargetStatusTone
  words: string
}

export function TargetCard(props: { id: string; name: string; mark: string; blurb: string; status: TargetStatus; children: ReactNode }) {
  const { id, name, mark, blurb, status, children } = props
  return (
    <section className={`card ${styles.card}`} aria-labelledby={`${id}-title`} data-testid={`target-card-${id}`} id={id}>
      <header className={styles.cardHead}>
        <span className={styles.mark} aria-hidden="true">{mark}</span>
        <div className={styles.cardTitle}>
          <h2 id={`${id}-title`}>{name}</h2>
          <p className={styles.lede}>{blurb}</p>
        </div>
        <span className={`badge ${status.tone === 'neutral' ? '' : `badge-${status.tone}`} ${styles.status}`} data-testid="target-status">{status.words}</span>
      </header>
      <div className={styles.cardBody}>{children}</div>
    </section>
  )
}
