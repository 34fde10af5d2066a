// Markdown / Obsidian: the desktop agent writes the vault (no server can), so the card says how to run
// it and shows what the agent last reported per notebook (its OBSIDIAN sync records), live.
import { useQuery, useSubscription } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { CopyField } from '../../../components/CopyField.tsx'
import { RelativeTime } from '../../../components/RelativeTime.tsx'
import { describeRequestError } from '../../../lib/errors.ts'
import { useRefetchOnReconnect } from '../../../lib/liveConnection.ts'
import { Link } from '../../../lib/router.tsx'
import { TargetCard, type TargetStatus } from './TargetCard.tsx'
import styles from './Integrations.module.css'

const ObsidianQuery = graphql(`
  query ObsidianStatus {
    viewer {
      id
      syncRecords(target: OBSIDIAN, first: 100) {
        totalCount
        edges { node { id status errorMessage externalId syncedAt updatedAt item { __typename ... on Notebook { id visibleName } } } }
      }
    }
  }
`)

const RecordChanged = graphql(`
  subscription ObsidianRecordChanged { syncRecordUpdated { id target status } }
`)

const STATUS_WORDS: Record<string, { words: string; tone: string }> = {
  success: { words: 'In the vault', tone: 'success' },
  pending: { words: 'Changed; waiting for the agent', tone: 'warning' },
  retry: { words: 'Changed; waiting for the agent', tone: 'warning' },
  failed: { words: 'Edited in the vault', tone: 'danger' },
}

export function ObsidianCard() {
  const [{ data, error }, refetch] = useQuery({ query: ObsidianQuery })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  useSubscription({ query: RecordChanged }, (_prev, event) => {
    if (event.syncRecordUpdated.target === 'OBSIDIAN') refetch({ requestPolicy: 'network-only' })
    return event
  })
  const records = (data?.viewer?.syncRecords.edges ?? []).map((e) => e.node)
  const waiting = records.filter((r) => r.status !== 'success').length
  const status: TargetStatus = !data
    ? { tone: 'neutral', words: 'Loading…' }
    : records.length === 0
      ? { tone: 'neutral', words: 'Agent not run yet' }
      : waiting
        ? { tone: 'warning', words: `${waiting} waiting` }
        : { tone: 'success', words: 'Up to date' }
  return (
    <TargetCard id="obsidian" name="Markdown / Obsidian" mark="M" blurb="One Markdown file per notebook in a folder on your computer — an Obsidian vault, or any app that reads Markdown." status={status}>
      <div className={styles.steps}>
        <p className={styles.lede}>
          Obsidian has no server to send to, so the desktop agent writes the vault on your computer, after <Link to="/dashboard/settings/tokens">logging in with an API token</Link>.
          Run it once, or keep it running with <code>--watch</code> to follow every change as it happens:
        </p>
        <CopyField label="Keep a vault in sync" value='npm run agent -- obsidian "PATH/TO/VAULT" --watch' testId="obsidian-command" />
        <p className="field-hint">Files go into the vault’s <code>reMarkable/</code> folder, mirroring your folders (<code>--folder NAME</code> changes it). A file you edit by hand is never overwritten: the new version is written beside it as <code>Name (rmirror).md</code>.</p>
        <p className="field-hint">No vault? Download a notebook’s Markdown from its page, or the whole library as a .zip from the notebook list.</p>
      </div>
      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {records.length > 0 && (
        <div className={styles.vault}>
          <h3>In your vault</h3>
          <ul className={styles.vaultList} data-testid="obsidian-status">
            {records.map((r) => {
              const nb = r.item?.__typename === 'Notebook' ? r.item : null
              const s = STATUS_WORDS[r.status] ?? STATUS_WORDS.pending
              return (
                <li key={r.id} className={styles.vaultRow} data-testid="obsidian-notebook" data-status={r.status}>
                  <div className={styles.failedMain}>
                    <p className={styles.choiceLabel}>{nb ? <Link to={`/dashboard/notebooks/${nb.id}`}>{nb.visibleName}</Link> : 'A deleted notebook'}</p>
                    <p className={styles.failedError}>
                      {r.externalId && <code>{r.externalId}</code>}
                      {r.status === 'failed' && r.errorMessage ? ` — ${r.errorMessage}` : ''}
                      {r.syncedAt && <> · written <RelativeTime iso={r.syncedAt} /></>}
                    </p>
                  </div>
                  <span className={`badge badge-${s.tone}`}>{s.words}</span>
                </li>
              )
            })}
          </ul>
        </div>
      )}
    </TargetCard>
  )
}
