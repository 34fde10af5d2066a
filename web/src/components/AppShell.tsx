// The frame of every signed-in page: brand, navigation, the search box, the OCR quota (always
// visible), the live connection's state and the account menu. An expired session sends the user to log in.
import { useEffect, type ReactNode } from 'react'
import { useQuery } from 'urql'
import { graphql } from '../gql/index.ts'
import { Link, useLocation } from '../lib/router.tsx'
import { SESSION_ENDED, useSession } from '../lib/session.tsx'
import { useRefetchOnReconnect } from '../lib/liveConnection.ts'
import { Brand } from './Brand.tsx'
import { OcrQuota } from './OcrQuota.tsx'
import { LiveDot } from './LiveDot.tsx'
import { AccountMenu } from './AccountMenu.tsx'
import { SearchBox } from './SearchBox.tsx'
import { OPEN_TODOS_PATH } from '../pages/search/searchUrls.ts'
import styles from './AppShell.module.css'

const ShellQuery = graphql(`
  query Shell {
    viewer { id email ...OcrQuota_Viewer }
  }
`)

function NavLink({ to, active, children }: { to: string; active: boolean; children: ReactNode }) {
  return (
    <Link to={to} className={styles.navLink} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  )
}

export function AppShell({ children }: { children: ReactNode }) {
  const { signOut } = useSession()
  const { pathname } = useLocation()
  const inSettings = pathname.startsWith('/dashboard/settings')
  const inTodos = pathname === OPEN_TODOS_PATH
  const [{ data, error }, refetch] = useQuery({ query: ShellQuery })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  // A token the server no longer accepts reads as viewer: null.
  const expired = data !== undefined && data.viewer === null && !error
  useEffect(() => {
    if (expired) signOut(SESSION_ENDED)
  }, [expired, signOut])
  const viewer = data?.viewer

  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">Skip to content</a>
      <header className={styles.header}>
        <div className={styles.headerInner}>
          <Brand />
          <nav className={styles.nav} aria-label="Main">
            <NavLink to="/dashboard" active={pathname === '/dashboard' || pathname.startsWith('/dashboard/notebooks')}>Notebooks</NavLink>
            <NavLink to={OPEN_TODOS_PATH} active={inTodos}>Todos</NavLink>
            <NavLink to="/dashboard/settings" active={inSettings}>Settings</NavLink>
          </nav>
          <div className={styles.search}><SearchBox /></div>
          <div className={styles.status}>{viewer && <OcrQuota viewer={viewer} />}</div>
          <div className={styles.tools}>
            <LiveDot />
            {viewer && <AccountMenu email={viewer.email} />}
          </div>
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
