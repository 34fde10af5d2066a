import type { SyncTone } from './syncWords.ts'

/** ✓ synced, clock syncing, ✕ failed — drawn, so they look the same on every system. */
export function SyncIcon({ tone, size = 16 }: { tone: SyncTone; size?: number }) {
  const color = tone === 'success' ? 'var(--success)' : tone === 'failed' ? 'var(--danger)' : 'var(--warning)'
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" style={{ flex: 'none', color }}>
      <circle cx="8" cy="8" r="7" fill="currentColor" opacity="0.14" />
      <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
      {tone === 'success' && <path d="M5 8.2l2 2 4-4.2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />}
      {tone === 'failed' && <path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />}
      {tone === 'pending' && <path d="M8 4.8V8l2.2 1.4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />}
    </svg>
  )
}
