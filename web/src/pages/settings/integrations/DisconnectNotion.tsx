// Disconnect, after a confirmation that says what stays in Notion.
import { useState } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import styles from './Integrations.module.css'

const Disconnect = graphql(`
  mutation DisconnectNotionForm($input: DisconnectIntegrationInput!) {
    disconnectIntegration(input: $input) { __typename ... on DisconnectIntegrationPayload { target syncRecordsKept syncRecordsDeleted } ... on Error { code message } }
  }
`)

export function DisconnectNotion({ databaseTitle }: { databaseTitle: string | null | undefined }) {
  const [confirming, setConfirming] = useState(false)
  const [keep, setKeep] = useState(true)
  const [state, disconnect] = useMutation(Disconnect)
  const [error, setError] = useState<string | null>(null)

  async function run() {
    const r = await disconnect({ input: { target: 'NOTION', keepSyncRecords: keep } })
    const typed = readTypedError(r.data?.disconnectIntegration)
    if (typed || r.error) setError(typed?.message ?? describeRequestError(r.error))
  }

  if (!confirming) {
    return (
      <div className={styles.dangerZone}>
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>Disconnect Notion…</button>
      </div>
    )
  }
  return (
    <div className={`${styles.dangerZone} ${styles.confirm}`} role="alertdialog" aria-labelledby="disconnect-title" data-testid="disconnect-confirm">
      <h3 id="disconnect-title">Disconnect Notion?</h3>
      <p className="small">
        Everything already in {databaseTitle ? `“${databaseTitle}”` : 'your Notion database'} <b>stays in Notion</b>: its pages, todos and highlights are not touched.
        We forget the token and stop sending changes; nothing waiting is sent.
      </p>
      <label className={styles.choice}>
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
        <span>
          <span className={styles.choiceLabel}>Remember which page is which notebook</span>
          <span className={styles.choiceHint}>Reconnecting to the same database later then updates those pages instead of making new ones.</span>
        </span>
      </label>
      <div className={styles.actions}>
        <button type="button" className="btn btn-danger" onClick={run} disabled={state.fetching}>{state.fetching ? 'Disconnecting…' : 'Yes, disconnect'}</button>
        <button type="button" className="btn btn-quiet" onClick={() => setConfirming(false)}>Keep it connected</button>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  )
}
