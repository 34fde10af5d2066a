import { formatDateTime, formatRelative, useNow } from '../lib/time.ts'

/** "2 hours ago", kept current; the exact time on hover and for screen readers. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow()
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  )
}
