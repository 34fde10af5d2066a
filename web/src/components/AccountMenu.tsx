// The account menu: who is signed in, light/dark/system, log out. A disclosure button with a menu
// that closes on Escape, on a click outside, and returns focus to its button.
import { useEffect, useId, useRef, useState } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../gql/index.ts'
import { useSession } from '../lib/session.tsx'
import { useTheme, type ThemeChoice } from '../lib/theme.ts'
import { Link } from '../lib/router.tsx'
import styles from './AccountMenu.module.css'

const LogOutMutation = graphql(`
  mutation LogOut { logOut { __typename ... on LogOutPayload { loggedOut } } }
`)

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

export function AccountMenu({ email }: { email: string }) {
  const [open, setOpen] = useState(false)
  const [theme, setTheme] = useTheme()
  const { signOut } = useSession()
  const [, logOut] = useMutation(LogOutMutation)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        button.current?.focus()
      }
    }
    const onClick = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onClick)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onClick)
    }
  }, [open])

  async function doLogOut() {
    // The server revokes the session (and closes its subscriptions); the token is forgotten either way.
    await logOut({})
    signOut()
  }

  return (
    <div className={styles.account} ref={root}>
      <button ref={button} className={styles.avatar} aria-haspopup="true" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((v) => !v)}>
        <span aria-hidden="true">{email.slice(0, 1).toUpperCase()}</span>
        <span className="visually-hidden">Account menu for {email}</span>
      </button>
      {open && (
        <div id={menuId} className={`card ${styles.menu}`}>
          <p className={styles.email}>{email}</p>
          <fieldset className={styles.theme}>
            <legend className={styles.legend}>Appearance</legend>
            <div className={styles.segments}>
              {THEMES.map((t) => (
                <label key={t.value} className={styles.segment} data-checked={theme === t.value}>
                  <input type="radio" name="theme" value={t.value} checked={theme === t.value} onChange={() => setTheme(t.value)} />
                  {t.label}
                </label>
              ))}
            </div>
          </fieldset>
          <Link to="/dashboard/settings/tokens" className={styles.item} onClick={() => setOpen(false)}>API tokens</Link>
          <button className={`${styles.item} ${styles.logout}`} onClick={doLogOut}>Log out</button>
        </div>
      )}
    </div>
  )
}
