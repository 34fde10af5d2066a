import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../../gql/index.ts'
import type { ApiTokenScope } from '../../gql/graphql.ts'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import styles from './ApiTokens.module.css'

const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name scopes prefix createdAt lastUsedAt revokedAt } }
      ... on Error { message code }
      ... on ValidationError { field }
    }
  }
`)

export interface CreatedToken {
  name: string
  token: string
  scopes: ApiTokenScope[]
}

const SCOPES: { value: ApiTokenScope; label: string; hint: string }[] = [
  { value: 'agent', label: 'Agent', hint: 'Upload notebooks (the desktop agent)' },
  { value: 'read', label: 'Read', hint: 'Read notebooks, pages, todos and sync state' },
  { value: 'write', label: 'Write', hint: 'Retry syncs, edit highlights, manage integrations' },
]

export function NewTokenForm({ onCreated }: { onCreated: (created: CreatedToken) => void }) {
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['agent'])
  const [error, setError] = useState<{ message: string; field?: string } | null>(null)
  const [state, create] = useMutation(CreateApiTokenMutation)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError(null)
    const r = await create({ input: { name: name.trim(), scopes } })
    const result = r.data?.createApiToken
    if (result?.__typename === 'CreateApiTokenPayload') {
      onCreated({ name: result.apiToken.name, token: result.token, scopes: result.apiToken.scopes })
      setName('')
      return
    }
    setError(readTypedError(result) ?? { message: describeRequestError(r.error) ?? 'The token could not be made. Try again.' })
  }

  const nameError = error?.field === 'name' ? error.message : null
  const scopesError = error?.field === 'scopes' ? error.message : null
  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <div className="field">
        <label className="field-label" htmlFor="token-name">Name</label>
        <input id="token-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. MacBook agent" maxLength={100} aria-invalid={!!nameError} aria-describedby={nameError ? 'token-name-error' : 'token-name-hint'} />
        {nameError ? <p id="token-name-error" className="field-error">{nameError}</p> : <p id="token-name-hint" className="field-hint">So you can tell your tokens apart later.</p>}
      </div>
      <fieldset className={styles.scopes} aria-describedby={scopesError ? 'scopes-error' : undefined}>
        <legend className="field-label">Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className={styles.scope}>
            <input type="checkbox" checked={scopes.includes(s.value)} onChange={(e) => setScopes((prev) => (e.target.checked ? [...prev, s.value] : prev.filter((x) => x !== s.value)))} />
            <span>
              <span className={styles.scopeLabel}>{s.label}</span>
              <span className={styles.scopeHint}>{s.hint}</span>
            </span>
          </label>
        ))}
        {scopesError && <p id="scopes-error" className="field-error">{scopesError}</p>}
      </fieldset>
      {error && !error.field && <p className="notice notice-error" role="alert">{error.message}</p>}
      <div>
        <button className="btn btn-primary" type="submit" disabled={state.fetching}>
          {state.fetching ? 'Making the token…' : 'Make token'}
        </button>
      </div>
    </form>
  )
}
