// Connecting Readwise: where the access token is, a password field (sent only in the mutation body),
// Connect, and what went wrong in words (rejected token, Readwise unreachable or busy).
import { useId, useState } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import styles from './Integrations.module.css'

const Connect = graphql(`
  mutation ConnectReadwiseForm($input: ConnectIntegrationInput!) {
    connectIntegration(input: $input) {
      __typename
      ... on Integration { id target enabled }
      ... on Error { code message }
    }
  }
`)

export function ReadwiseConnectForm({ onConnected }: { onConnected: () => void }) {
  const tokenId = useId()
  const [token, setToken] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const [saved, save] = useMutation(Connect)

  async function connect() {
    setMessage(null)
    const r = await save({ input: { target: 'READWISE', readwise: { token: token.trim() } } })
    const result = r.data?.connectIntegration
    if (result?.__typename === 'Integration') return onConnected()
    setMessage(readTypedError(result)?.message ?? describeRequestError(r.error) ?? 'Could not connect.')
  }

  return (
    <form className={styles.steps} onSubmit={(e) => (e.preventDefault(), void connect())} data-testid="readwise-connect">
      <p className={styles.lede}>
        Sign in to Readwise and open <a href="https://readwise.io/access_token" target="_blank" rel="noreferrer">readwise.io/access_token</a>, choose <b>Get Access Token</b> and copy it.
        Highlights arrive as books named after your notebooks.
      </p>
      <div className="field">
        <label className="field-label" htmlFor={tokenId}>Readwise access token</label>
        <div className={styles.inline}>
          <input id={tokenId} className="input" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => (setToken(e.target.value), setMessage(null))} aria-invalid={message !== null} />
          <button type="submit" className="btn btn-primary" disabled={!token.trim() || saved.fetching}>{saved.fetching ? 'Connecting…' : 'Connect'}</button>
        </div>
        <span className="field-hint">Checked with Readwise before it is saved. It is stored encrypted and never shown again — only its last 4 characters.</span>
        {message && <p className="field-error" role="alert" data-testid="readwise-token-error">{message}</p>}
      </div>
    </form>
  )
}
