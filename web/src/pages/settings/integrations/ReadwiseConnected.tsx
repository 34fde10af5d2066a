// A connected Readwise: its token's last 4, on/off, dry run (with its preview), clean-up on delete,
// page notes, the live counts and catch-up progress, disconnect.
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

export const ReadwiseConnectedFragment = graphql(`
  fragment ReadwiseConnected_Integration on Integration {
    id enabled credentialHint lastSyncedAt createdAt
    settings { dryRun cleanUpOnDelete sendPageNotes }
    counts { synced pending failed }
  }
`)

const ReadwiseRefresh = graphql(`
  query ReadwiseIntegrationRefresh { viewer { id integrations { id target enabled counts { failed } ...ReadwiseConnected_Integration } } }
`)

const SetEnabled = graphql(`
  mutation SetReadwiseEnabledSwitch($input: SetIntegrationEnabledInput!) {
    setIntegrationEnabled(input: $input) { __typename ... on Integration { id enabled counts { synced pending failed } } ... on Error { code message } }
  }
`)

const UpdateSettings = graphql(`
  mutation UpdateReadwiseSettingsSwitch($input: UpdateIntegrationSettingsInput!) {
    updateIntegrationSettings(input: $input) { __typename ... on Integration { id settings { dryRun cleanUpOnDelete sendPageNotes } } ... on Error { code message } }
  }
`)

type Setting = { dryRun?: boolean; cleanUpOnDelete?: boolean; sendPageNotes?: boolean }

export function ReadwiseConnected(props: { integration: FragmentType<typeof ReadwiseConnectedFragment> }) {
  const i = getFragmentData(ReadwiseConnectedFragment, props.integration)
  const client = useClient()
  const [enabling, setEnabled] = useMutation(SetEnabled)
  const [updating, update] = useMutation(UpdateSettings)
  const [error, setError] = useState<string | null>(null)

  async function toggleEnabled() {
    const r = await setEnabled({ input: { target: 'READWISE', enabled: !i.enabled } })
    setError(readTypedError(r.data?.setIntegrationEnabled)?.message ?? describeRequestError(r.error))
  }
  async function changeSetting(setting: Setting) {
    const r = await update({ input: { target: 'READWISE', ...setting } })
    setError(readTypedError(r.data?.updateIntegrationSettings)?.message ?? describeRequestError(r.error))
  }

  return (
    <div className={styles.connected} data-testid="readwise-connected" data-enabled={i.enabled}>
      <dl className={styles.facts}>
        <div><dt>Token</dt><dd><code data-testid="readwise-token-hint">{i.credentialHint}</code></dd></div>
        <div><dt>Connected</dt><dd><RelativeTime iso={i.createdAt} /></dd></div>
        <div><dt>Last synced</dt><dd data-testid="readwise-last-synced">{i.lastSyncedAt ? <RelativeTime iso={i.lastSyncedAt} /> : 'Not yet'}</dd></div>
      </dl>

      <SyncStatus target="READWISE" testId="readwise" counts={i.counts} enabled={i.enabled} dryRun={i.settings.dryRun} onProgress={() => void client.query(ReadwiseRefresh, {}, { requestPolicy: 'network-only' }).toPromise()} />

      <div className={styles.switches}>
        <Switch label="Sync to Readwise" hint={i.enabled ? 'On: every change is sent within seconds.' : 'Paused: changes wait as pending and are sent when you turn it back on.'} checked={i.enabled} busy={enabling.fetching} onChange={toggleEnabled} />
        <Switch label="Dry run" hint="Plan every request and show it here, send nothing." checked={i.settings.dryRun} busy={updating.fetching} onChange={() => changeSetting({ dryRun: !i.settings.dryRun })} />
        <Switch label="Clean up on delete" hint="When a notebook is deleted on the tablet, delete its highlights in Readwise too." checked={i.settings.cleanUpOnDelete} busy={updating.fetching} onChange={() => changeSetting({ cleanUpOnDelete: !i.settings.cleanUpOnDelete })} />
        <Switch label="Send page notes too" hint="Each page’s typed and handwritten text also goes to Readwise, as a highlight with a note." checked={i.settings.sendPageNotes} busy={updating.fetching} onChange={() => changeSetting({ sendPageNotes: !i.settings.sendPageNotes })} />
      </div>
      {error && <p className="notice notice-error" role="alert">{error}</p>}

      {i.settings.dryRun && <DryRunPreview target="READWISE" />}

      <DisconnectTarget
        target="READWISE"
        name="Readwise"
        stays={<>Every highlight already sent <b>stays in Readwise</b>, with its notes and tags; nothing there is deleted. We forget the token and stop sending changes; nothing waiting is sent.</>}
        keepHint="Reconnecting the same Readwise account later then updates those highlights instead of sending them again."
      />
    </div>
  )
}
