// How a sync state reads, everywhere in the dashboard.
export type SyncTone = 'success' | 'pending' | 'failed'

const TARGET_NAMES: Record<string, string> = { notion: 'Notion', readwise: 'Readwise', markdown: 'Markdown' }

/** "NOTION" or "notion" → "Notion". */
export function targetLabel(target: string): string {
  const key = target.toLowerCase()
  return TARGET_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1)
}

export function toneOf(status: string): SyncTone {
  if (status === 'success') return 'success'
  if (status === 'failed') return 'failed'
  return 'pending'
}
