// The settings area: a section list beside the section's page. Each section is one entry below.
import type { ReactNode } from 'react'
import { Link, useIsActive } from '../../lib/router.tsx'
import styles from './Settings.module.css'

export const SETTINGS_SECTIONS: { to: string; label: string; hint: string }[] = [
  { to: '/dashboard/settings/integrations', label: 'Integrations', hint: 'Notion, Obsidian, handwriting OCR' },
  { to: '/dashboard/settings/tokens', label: 'API tokens', hint: 'For the desktop agent and scripts' },
]

function SectionLink({ to, label, hint }: (typeof SETTINGS_SECTIONS)[number]) {
  const active = useIsActive(to)
  return (
    <Link to={to} className={styles.sectionLink} aria-current={active ? 'page' : undefined}>
      <span className={styles.sectionLabel}>{label}</span>
      <span className={styles.sectionHint}>{hint}</span>
    </Link>
  )
}

export function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.layout}>
      <h1 className={styles.title}>Settings</h1>
      <nav className={styles.sections} aria-label="Settings">
        {SETTINGS_SECTIONS.map((s) => (
          <SectionLink key={s.to} {...s} />
        ))}
      </nav>
      <div className={styles.content}>{children}</div>
    </div>
  )
}
