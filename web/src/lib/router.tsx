// A small router over the History API: real URLs (deep links, reload, back/forward), no dependency.
// The server answers index.html for every route path, so any of these URLs can be opened directly.
import { createContext, useContext, useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react'

type Listener = () => void
const listeners = new Set<Listener>()

function subscribe(listener: Listener) {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

const readLocation = () => window.location.pathname + window.location.search + window.location.hash

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === readLocation()) return
  if (options.replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  for (const l of listeners) l()
  if (!to.includes('#')) window.scrollTo(0, 0)
}

export function useLocation(): { pathname: string; search: URLSearchParams; hash: string } {
  const href = useSyncExternalStore(subscribe, readLocation)
  const url = new URL(href, window.location.origin)
  return { pathname: url.pathname, search: url.searchParams, hash: url.hash }
}

/** Matches "/dashboard/notebooks/:id" against a pathname; params are decoded. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean)
  const have = pathname.split('/').filter(Boolean)
  if (want.length !== have.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i])
    else if (want[i] !== have[i]) return null
  }
  return params
}

const ParamsContext = createContext<Record<string, string>>({})
export const useParams = () => useContext(ParamsContext)

export interface Route {
  path: string
  render: () => ReactNode
}

/** Renders the first route whose pattern matches, or `fallback`. */
export function Routes({ routes, fallback }: { routes: Route[]; fallback: ReactNode }) {
  const { pathname } = useLocation()
  for (const route of routes) {
    const params = matchPath(route.path, pathname.replace(/\/+$/, '') || '/')
    if (params) return <ParamsContext.Provider value={params}>{route.render()}</ParamsContext.Provider>
  }
  return <>{fallback}</>
}

export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to])
  return null
}

/** An <a> that navigates in the app; modified clicks (new tab, download) stay the browser's. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return
    e.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handle} {...rest} />
}

export function useIsActive(prefix: string): boolean {
  const { pathname } = useLocation()
  return pathname === prefix || pathname.startsWith(prefix + '/')
}
