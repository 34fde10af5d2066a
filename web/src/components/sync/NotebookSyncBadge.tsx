// A notebook's combined state at one target: everything synced, some syncing, or some failed.
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { SyncIcon } from './SyncIcon.tsx'
import { targetLabel } from './syncWords.ts'
import { formatRelative, useNow } from '../../lib/time.ts'

export const NotebookSyncBadgeFragment = graphql(`
  fragment NotebookSyncBadge_Notebook on Notebook {
    id
    syncSummary { target synced pending failed lastSyncedAt }
  }
`)

export function NotebookSyncBadges(props: { notebook: FragmentType<typeof NotebookSyncBadgeFragment> }) {
  const { syncSummary } = getFragmentData(NotebookSyncBadgeFragment, props.notebook)
  const now = useNow()
  if (syncSummary.length === 0) return null
  return (
    <>
      {syncSummary.map((s) => {
        const target = targetLabel(s.target)
        const tone = s.failed > 0 ? 'failed' : s.pending > 0 ? 'pending' : 'success'
        const text = s.failed > 0 ? `${target}: ${s.failed} failed` : s.pending > 0 ? `${target}: syncing ${s.pending}` : `${target}: synced`
        const detail = `${s.synced} synced, ${s.pending} syncing, ${s.failed} failed${s.lastSyncedAt ? `; last sync ${formatRelative(s.lastSyncedAt, now)}` : ''}`
        return (
          <span key={s.target} className={`badge badge-${tone === 'failed' ? 'danger' : tone === 'pending' ? 'warning' : 'success'}`} title={detail} data-testid="notebook-sync-badge" data-tone={tone}>
            <SyncIcon tone={tone} size={13} />
            {text}
            <span className="visually-hidden"> ({detail})</span>
          </span>
        )
      })}
    </>
  )
}
