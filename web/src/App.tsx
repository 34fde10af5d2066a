// Routes and the providers around them: the session, then one urql client per session token.
import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { Provider } from 'urql'
import { makeClient } from './lib/client.ts'
import { Redirect, Routes, useLocation } from './lib/router.tsx'
import { SESSION_ENDED, SessionProvider, useSession } from './lib/session.tsx'
import { AppShell } from './components/AppShell.tsx'
import { AuthPage } from './pages/AuthPage.tsx'
import { NotebooksPage } from './pages/NotebooksPage.tsx'
import { NotebookPage } from './pages/notebook/NotebookPage.tsx'
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx'
import { ApiTokensPage } from './pages/settings/ApiTokensPage.tsx'
import { IntegrationsPage } from './pages/settings/IntegrationsPage.tsx'
import { NotFound } from './pages/NotFound.tsx'
import { SearchPage } from './pages/search/SearchPage.tsx'
import { OpenTodosPage } from './pages/search/OpenTodosPage.tsx'

function ClientProvider({ children }: { children: ReactNode }) {
  const { token, signOut } = useSession()
  const { client, dispose } = useMemo(() => makeClient(token, () => signOut(SESSION_ENDED)), [token, signOut])
  // The old client's socket closes when the token changes. Closing is deferred a tick, so React's
  // development double mount (unmount, mount again) keeps the client it is about to reuse.
  const closing = useRef<{ dispose: () => void; timer: number } | null>(null)
  useEffect(() => {
    if (closing.current?.dispose === dispose) window.clearTimeout(closing.current.timer)
    return () => {
      closing.current = { dispose, timer: window.setTimeout(dispose, 0) }
    }
  }, [dispose])
  return <Provider value={client}>{children}</Provider>
}

/** Signed-in pages; without a session, the log-in page, then back here. */
function SignedIn({ children }: { children: ReactNode }) {
  const { token } = useSession()
  const { pathname, search } = useLocation()
  if (!token) return <Redirect to={`/login?next=${encodeURIComponent(pathname + (search.size ? `?${search}` : ''))}`} />
  return <AppShell>{children}</AppShell>
}

function SignedOut({ children }: { children: ReactNode }) {
  const { token } = useSession()
  const { search } = useLocation()
  const next = search.get('next')
  if (token) return <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard'} />
  return <>{children}</>
}

export function App() {
  return (
    <SessionProvider>
      <ClientProvider>
        <Routes
          routes={[
            { path: '/', render: () => <Redirect to="/dashboard" /> },
            { path: '/login', render: () => <SignedOut><AuthPage mode="logIn" /></SignedOut> },
            { path: '/signup', render: () => <SignedOut><AuthPage mode="signUp" /></SignedOut> },
            { path: '/dashboard', render: () => <SignedIn><NotebooksPage /></SignedIn> },
            { path: '/dashboard/notebooks/:id', render: () => <SignedIn><NotebookPage /></SignedIn> },
            { path: '/dashboard/search', render: () => <SignedIn><SearchPage /></SignedIn> },
            { path: '/dashboard/todos', render: () => <SignedIn><OpenTodosPage /></SignedIn> },
            { path: '/dashboard/settings', render: () => <Redirect to="/dashboard/settings/tokens" /> },
            { path: '/dashboard/settings/integrations', render: () => <SignedIn><SettingsLayout><IntegrationsPage /></SettingsLayout></SignedIn> },
            { path: '/dashboard/settings/tokens', render: () => <SignedIn><SettingsLayout><ApiTokensPage /></SettingsLayout></SignedIn> },
          ]}
          fallback={<NotFound />}
        />
      </ClientProvider>
    </SessionProvider>
  )
}
