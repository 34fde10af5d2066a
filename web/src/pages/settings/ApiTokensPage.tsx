// Settings → API tokens: make one (shown once, with the agent's commands filled in), see when each
// was last used, revoke.
import { useState } from 'react'
import { useQuery } from 'urql'
import { graphql } from '../../gql/index.ts'
import { describeRequestError } from '../../lib/errors.ts'
import { NewTokenForm, type CreatedToken } from './NewTokenForm.tsx'
import { CreatedTokenPanel } from './CreatedTokenPanel.tsx'
import { ApiTokenRow } from './ApiTokenRow.tsx'
import styles from './ApiTokens.module.css'

const ApiTokensQuery = graphql(`
  query ApiTokens {
    viewer { id apiTokens { id revokedAt ...ApiTokenRow_ApiToken } }
  }
`)

export function ApiTokensPage() {
  const [{ data, error, fetching }] = useQuery({ query: ApiTokensQuery })
  const [created, setCreated] = useState<CreatedToken | null>(null)
  const tokens = data?.viewer?.apiTokens ?? []
  const active = tokens.filter((t) => !t.revokedAt)
  const revoked = tokens.filter((t) => t.revokedAt)
  return (
    <>
      <section className={`card ${styles.section}`} aria-labelledby="new-token">
        <div className={styles.sectionHead}>
          <h2 id="new-token">New token</h2>
          <p className={styles.lede}>The desktop agent needs a token with the “agent” scope. Scripts reading your data need “read”.</p>
        </div>
        {created ? <CreatedTokenPanel created={created} onDone={() => setCreated(null)} /> : <NewTokenForm onCreated={setCreated} />}
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="your-tokens">
        <div className={styles.sectionHead}>
          <h2 id="your-tokens">Your tokens</h2>
          <p className={styles.lede}>Revoking a token stops it at once, including an agent running with it.</p>
        </div>
        {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
        {!data && fetching && <div className="skeleton" style={{ height: 56 }} aria-label="Loading tokens" />}
        {data && tokens.length === 0 && <p className={styles.empty}>No tokens yet. Make one above to connect the desktop agent.</p>}
        {active.length > 0 && (
          <ul className={styles.list} data-testid="token-list">
            {active.map((t) => <ApiTokenRow key={t.id} token={t} />)}
          </ul>
        )}
        {revoked.length > 0 && (
          <details className={styles.revoked}>
            <summary>{revoked.length} revoked</summary>
            <ul className={styles.list}>
              {revoked.map((t) => <ApiTokenRow key={t.id} token={t} />)}
            </ul>
          </details>
        )}
      </section>
    </>
  )
}
