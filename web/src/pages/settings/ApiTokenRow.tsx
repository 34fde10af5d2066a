import { useState } from 'react'
import { useMutation } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { formatShortDate } from '../../lib/time.ts'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import styles from './ApiTokens.module.css'

export const ApiTokenRowFragment = graphql(`
  fragment ApiTokenRow_ApiToken on ApiToken { id name prefix scopes createdAt lastUsedAt revokedAt }
`)

const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) {
      __typename
      ... on ApiToken { id revokedAt }
      ... on Error { message code }
    }
  }
`)

export function ApiTokenRow(props: { token: FragmentType<typeof ApiTokenRowFragment> }) {
  const t = getFragmentData(ApiTokenRowFragment, props.token)
  const [confirming, setConfirming] = useState(false)
  const [state, revoke] = useMutation(RevokeApiTokenMutation)
  const [error, setError] = useState<string | null>(null)

  async function doRevoke() {
    const r = await revoke({ input: { id: t.id } })
    const typed = readTypedError(r.data?.revokeApiToken)
    if (typed || r.error) setError(typed?.message ?? describeRequestError(r.error))
    setConfirming(false)
  }

  return (
    <li className={styles.token} data-testid="token-row" data-revoked={!!t.revokedAt}>
      <div className={styles.tokenMain}>
        <p className={styles.tokenName}>{t.name}</p>
        <p className={styles.tokenMeta}>
          <code>{t.prefix}…</code>
          {t.scopes.map((s) => <span key={s} className="badge">{s}</span>)}
        </p>
        <p className={styles.tokenMeta}>
          <span>Made {formatShortDate(t.createdAt)}</span>
          <span>{t.revokedAt ? <>Revoked {formatShortDate(t.revokedAt)}</> : t.lastUsedAt ? <>Last used <RelativeTime iso={t.lastUsedAt} /></> : 'Never used'}</span>
        </p>
        {error && <p className="field-error" role="alert">{error}</p>}
      </div>
      {!t.revokedAt && (
        <div className={styles.tokenActions}>
          {confirming ? (
            <>
              <button className="btn btn-sm btn-danger" onClick={doRevoke} disabled={state.fetching}>{state.fetching ? 'Revoking…' : 'Yes, revoke'}</button>
              <button className="btn btn-sm btn-quiet" onClick={() => setConfirming(false)}>Keep</button>
            </>
          ) : (
            <button className="btn btn-sm" onClick={() => setConfirming(true)} aria-label={`Revoke ${t.name}`}>Revoke</button>
          )}
        </div>
      )}
    </li>
  )
}
