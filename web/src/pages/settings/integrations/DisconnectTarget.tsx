// Disconnect a target, after a confirmation that says what stays there (the target's own words).
import { useState, type ReactNode } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../../../gql/index.ts'
import type { IntegrationTarget } from '../../../gql/graphql.ts'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import styles from './Integrations.module.css'

const Disconnect = graphql(`
  mutation DisconnectTargetForm($input: DisconnectIntegrationInput!) {
    disconnectIntegration(input: $input) { __typename ... on DisconnectIntegrationPayload { target syncRecordsKept syncRecordsDeleted } ... on Error { code message } }
  }
`)

export function DisconnectTarget(props: {
  target: IntegrationTarget
  name: string
  /** What stays at the target and what stops. */
  stays: ReactNode
  /** What keeping the sync records buys at a reconnect. */
  keepHint: string
}) {
  const { target, name } = props
  const [confirming, setConfirming] = useState(false)
  const [keep, setKeep] = useState(true)
  const [state, disconnect] = useMutation(Disconnect)
  const [error, setError] = useState<string | null>(null)
  const titleId = `disconnect-${target.toLowerCase()}-title`

  async function run() {
    const r = await disconnect({ input: { target, keepSyncRecords: keep } })
    const typed = readTypedError(r.data?.disconnectIntegration)
    if (typed || r.error) setError(typed?.message ?? describeRequestError(r.error))
  }

  if (!confirming) {
    return (
      <div className={styles.dangerZone}>
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>Disconnect {name}…</button>
      </div>
    )
  }
  return (
    <div className={`${styles.dangerZone} ${styles.confirm}`} role="alertdialog" aria-labelledby={titleId} data-testid="disconnect-confirm">
      <h3 id={titleId}>Disconnect {name}?</h3>
      <p className="small">{props.stays}</p>
      <label className={styles.choice}>
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
        <span>
          <span className={styles.choiceLabel}>Remember what was sent</span>
          <span className={styles.choiceHint}>{props.keepHint}</span>
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
