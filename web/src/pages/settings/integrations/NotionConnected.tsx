// A connected Notion: where it syncs to, on/off, dry run (with its preview), clean-up on delete, the
// counts live from syncProgress (failed ones listed with Retry), catch-up progress, disconnect.
import { useState } from 'react'
import { useClient, useMutation, useSubscription } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../../gql/index.ts'
import { RelativeTime } from '../../../components/RelativeTime.tsx'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import { CatchUpProgress } from './CatchUpProgress.tsx'
import { FailedItems } from './FailedItems.tsx'
import { DryRunPreview } from './DryRunPreview.tsx'
import { DisconnectNotion } from './DisconnectNotion.tsx'
import { useProgressRate, type ProgressSample } from './useProgressRate.ts'
import styles from './Integrations.module.css'

export const NotionConnectedFragment = graphql(`
  fragment NotionConnected_Integration on Integration {
    id enabled credentialHint databaseId databaseTitle lastSyncedAt createdAt
    settings { dryRun cleanUpOnDelete }
    counts { synced pending failed }
  }
`)

const NotionRefresh = graphql(`
  query NotionIntegrationRefresh { viewer { id integrations { id target enabled counts { failed } ...NotionConnected_Integration } } }
`)

const Progress = graphql(`
  subscription NotionSyncProgress { syncProgress(target: NOTION) { target synced pending failed total } }
`)

const SetEnabled = graphql(`
  mutation SetNotionEnabledSwitch($input: SetIntegrationEnabledInput!) {
    setIntegrationEnabled(input: $input) { __typename ... on Integration { id enabled counts { synced pending failed } } ... on Error { code message } }
  }
`)

const UpdateSettings = graphql(`
  mutation UpdateNotionSettingsSwitch($input: UpdateIntegrationSettingsInput!) {
    updateIntegrationSettings(input: $input) { __typename ... on Integration { id settings { dryRun cleanUpOnDelete } } ... on Error { code message } }
  }
`)

export function NotionConnected(props: { integration: FragmentType<typeof NotionConnectedFragment> }) {
  const i = getFragmentData(NotionConnectedFragment, props.integration)
  const client = useClient()
  const [latest, setLatest] = useState<ProgressSample | null>(null)
  const rate = useProgressRate(latest)
  // Counts and last-synced move with the target's progress events (no timer).
  useSubscription({ query: Progress }, (_prev, event) => {
    const p = event.syncProgress
    setLatest({ ...p, at: Date.now() })
    void client.query(NotionRefresh, {}, { requestPolicy: 'network-only' }).toPromise()
    return event
  })
  const [enabling, setEnabled] = useMutation(SetEnabled)
  const [updating, update] = useMutation(UpdateSettings)
  const [error, setError] = useState<string | null>(null)
  const counts = latest ?? { ...i.counts, total: i.counts.synced + i.counts.pending + i.counts.failed }
  const [showFailed, setShowFailed] = useState(false)

  async function toggleEnabled() {
    const r = await setEnabled({ input: { target: 'NOTION', enabled: !i.enabled } })
    setError(readTypedError(r.data?.setIntegrationEnabled)?.message ?? describeRequestError(r.error))
  }
  async function changeSetting(setting: { dryRun?: boolean; cleanUpOnDelete?: boolean }) {
    const r = await update({ input: { target: 'NOTION', ...setting } })
    setError(readTypedError(r.data?.updateIntegrationSettings)?.message ?? describeRequestError(r.error))
  }

  return (
    <div className={styles.connected} data-testid="notion-connected" data-enabled={i.enabled}>
      <dl className={styles.facts}>
        <div><dt>Database</dt><dd>{i.databaseTitle || i.databaseId}</dd></div>
        <div><dt>Token</dt><dd><code>{i.credentialHint}</code></dd></div>
        <div><dt>Last synced</dt><dd data-testid="notion-last-synced">{i.lastSyncedAt ? <RelativeTime iso={i.lastSyncedAt} /> : 'Not yet'}</dd></div>
      </dl>

      <div className={styles.counts} data-testid="notion-counts">
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

      <CatchUpProgress progress={counts} rate={rate} enabled={i.enabled} dryRun={i.settings.dryRun} />
      {showFailed && counts.failed > 0 && <FailedItems target="NOTION" />}

      <div className={styles.switches}>
        <Switch label="Sync to Notion" hint={i.enabled ? 'On: every change is sent within seconds.' : 'Paused: changes wait as pending and are sent when you turn it back on.'} checked={i.enabled} busy={enabling.fetching} onChange={toggleEnabled} />
        <Switch label="Dry run" hint="Plan every request and show it here, send nothing." checked={i.settings.dryRun} busy={updating.fetching} onChange={() => changeSetting({ dryRun: !i.settings.dryRun })} />
        <Switch label="Clean up on delete" hint="When a notebook is deleted on the tablet, remove its page from Notion too." checked={i.settings.cleanUpOnDelete} busy={updating.fetching} onChange={() => changeSetting({ cleanUpOnDelete: !i.settings.cleanUpOnDelete })} />
      </div>
      {error && <p className="notice notice-error" role="alert">{error}</p>}

      {i.settings.dryRun && <DryRunPreview />}

      <DisconnectNotion databaseTitle={i.databaseTitle} />
    </div>
  )
}

function Switch(props: { label: string; hint: string; checked: boolean; busy: boolean; onChange: () => void }) {
  return (
    <label className={styles.switchRow}>
      <span className={styles.switchText}>
        <span className={styles.choiceLabel}>{props.label}</span>
        <span className={styles.choiceHint}>{props.hint}</span>
      </span>
      <input type="checkbox" role="switch" className={styles.switch} checked={props.checked} disabled={props.busy} onChange={props.onChange} aria-label={props.label} />
    </label>
  )
}
