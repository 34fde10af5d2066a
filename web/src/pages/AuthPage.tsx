// Sign up and log in: one form, two mutations. The session token is kept (lib/session) so a reload
// stays signed in.
import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../gql/index.ts'
import { Link } from '../lib/router.tsx'
import { takeSessionNotice, useSession } from '../lib/session.tsx'
import { describeRequestError, readTypedError } from '../lib/errors.ts'
import { Brand } from '../components/Brand.tsx'
import styles from './AuthPage.module.css'

const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload { token viewer { id email } }
      ... on Error { message code }
      ... on ValidationError { field }
    }
  }
`)

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { token viewer { id email } }
      ... on Error { message code }
      ... on ValidationError { field }
    }
  }
`)

export function AuthPage({ mode }: { mode: 'logIn' | 'signUp' }) {
  const { signIn } = useSession()
  const [notice] = useState(takeSessionNotice)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<{ message: string; field?: string } | null>(null)
  const [logIn, runLogIn] = useMutation(LogInMutation)
  const [signUp, runSignUp] = useMutation(SignUpMutation)
  const busy = logIn.fetching || signUp.fetching
  const isSignUp = mode === 'signUp'

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError(null)
    const input = { email, password }
    const r = isSignUp ? await runSignUp({ input }) : await runLogIn({ input })
    const result = r.data && ('signUp' in r.data ? r.data.signUp : r.data.logIn)
    if (result?.__typename === 'AuthPayload') return signIn(result.token)
    const typed = readTypedError(result)
    setError(typed ?? { message: describeRequestError(r.error) ?? 'Something went wrong. Try again.' })
  }

  const emailError = error?.field === 'email' ? error.message : null
  const passwordError = error?.field === 'password' ? error.message : null
  const formError = error && !error.field ? error.message : null

  return (
    <main className={styles.page}>
      <div className={styles.panel}>
        <Brand />
        <div className={`card ${styles.card}`}>
          <h1 className={styles.title}>{isSignUp ? 'Create your account' : 'Log in'}</h1>
          <p className={styles.lede}>
            {isSignUp ? 'Your reMarkable notebooks as text, todos and highlights — in Notion the moment a page is read.' : 'Welcome back. Your notebooks are where you left them.'}
          </p>
          {notice && <p className="notice notice-info" role="status">{notice}</p>}
          <form className={styles.form} onSubmit={submit} noValidate>
            <div className="field">
              <label className="field-label" htmlFor="email">Email</label>
              <input id="email" className="input" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={!!emailError} aria-describedby={emailError ? 'email-error' : undefined} autoFocus />
              {emailError && <p id="email-error" className="field-error">{emailError}</p>}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="password">Password</label>
              <input id="password" className="input" type="password" autoComplete={isSignUp ? 'new-password' : 'current-password'} required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={!!passwordError} aria-describedby={passwordError ? 'password-error' : isSignUp ? 'password-hint' : undefined} />
              {passwordError ? <p id="password-error" className="field-error">{passwordError}</p> : isSignUp && <p id="password-hint" className="field-hint">At least 10 characters.</p>}
            </div>
            {formError && <p className="notice notice-error" role="alert">{formError}</p>}
            <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
              {busy ? (isSignUp ? 'Creating your account…' : 'Logging in…') : isSignUp ? 'Create account' : 'Log in'}
            </button>
          </form>
        </div>
        <p className={styles.switch}>
          {isSignUp ? <>Already have an account? <Link to="/login">Log in</Link></> : <>New here? <Link to="/signup">Create an account</Link></>}
        </p>
      </div>
    </main>
  )
}
