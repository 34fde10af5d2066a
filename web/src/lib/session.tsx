// The dashboard session: its token lives in localStorage, so a reload stays signed in and every tab
// shares it (a log-in or log-out in one tab reaches the others through the storage event).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'

const KEY = 'rmirror.session'
const NOTICE_KEY = 'rmirror.notice'

export interface Session {
  token: string | null
  signIn(token: string): void
  /** Forget the token; `notice` is shown on the log-in page (e.g. why the session ended). */
  signOut(notice?: string): void
}

const SessionContext = createContext<Session | null>(null)

function readToken(): string | null {
  try {
    return window.localStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(readToken)
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === KEY || e.key === null) setToken(readToken())
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const signIn = useCallback((next: string) => {
    window.localStorage.setItem(KEY, next)
    setToken(next)
  }, [])
  const signOut = useCallback((notice?: string) => {
    window.localStorage.removeItem(KEY)
    if (notice) window.sessionStorage.setItem(NOTICE_KEY, notice)
    setToken(null)
  }, [])
  const value = useMemo(() => ({ token, signIn, signOut }), [token, signIn, signOut])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionProvider')
  return session
}

/** The notice left by signOut, read once. */
export function takeSessionNotice(): string | null {
  const notice = window.sessionStorage.getItem(NOTICE_KEY)
  window.sessionStorage.removeItem(NOTICE_KEY)
  return notice
}

export const SESSION_ENDED = 'Your session has ended. Log in again to continue.'
