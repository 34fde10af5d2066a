// A connected Notion: where it syncs to, on/off, dry run (with its preview), clean-up on delete, the
// counts live from syncProgress (failed ones listed with Retry), catch-up progress, disconnect.
import { useState } from 'react'
import { useClient, useMutation } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../../gql/index.ts'
import { RelativeTime } from '../../../components/RelativeTime.tsx'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import { SyncStatus } from './SyncStatus.tsx'
import { DryRunPreview } from './DryRunPreview.tsx'
import { DisconnectTarget } from './DisconnectTarget.tsx'
import { Switch } from './Switch.tsx'
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
  const [enabling, setEnabled] = useMutation(SetEnabled)
  const [updating, update] = useMutation(UpdateSettings)
  const [error, setError] = useState<string | null>(null)

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

      <SyncStatus target="NOTION" testId="notion" counts={i.counts} enabled={i.enabled} dryRun={i.settings.dryRun} onProgress={() => void client.query(NotionRefresh, {}, { requestPolicy: 'network-only' }).toPromise()} />

      <div className={styles.switches}>
        <Switch label="Sync to Notion" hint={i.enabled ? 'On: every change is sent within seconds.' : 'Paused: changes wait as pending and are sent when you turn it back on.'} checked={i.enabled} busy={enabling.fetching} onChange={toggleEnabled} />
        <Switch label="Dry run" hint="Plan every request and show it here, send nothing." checked={i.settings.dryRun} busy={updating.fetching} onChange={() => changeSetting({ dryRun: !i.settings.dryRun })} />
        <Switch label="Clean up on delete" hint="When a notebook is deleted on the tablet, remove its page from Notion too." checked={i.settings.cleanUpOnDelete} busy={updating.fetching} onChange={() => changeSetting({ cleanUpOnDelete: !i.settings.cleanUpOnDelete })} />
      </div>
      {error && <p className="notice notice-error" role="alert">{error}</p>}

      {i.settings.dryRun && <DryRunPreview target="NOTION" />}

      <DisconnectTarget
        target="NOTION"
        name="Notion"
        stays={<>Everything already in {i.databaseTitle ? `“${i.databaseTitle}”` : 'your Notion database'} <b>stays in Notion</b>: its pages, todos and highlights are not touched. We forget the token and stop sending changes; nothing waiting is sent.</>}
        keepHint="Reconnecting to the same database later then updates those pages instead of making new ones."
      />
    </div>
  )
}
