// The header's search box: everything you ever wrote, from any page. `/` or Ctrl/Cmd-K focuses it;
// typing opens /dashboard/search?q=… and keeps the address in step (so back returns to where you
// were before searching, and a reload shows the same results); Escape leaves the box.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { navigate, useLocation } from '../lib/router.tsx'
import { readKinds, SEARCH_PATH, searchUrl } from '../pages/search/searchUrls.ts'
import styles from './SearchBox.module.css'

const TYPING_PAUSE_MS = 250

function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
}

export function SearchBox() {
  const { pathname, search } = useLocation()
  const onSearchPage = pathname === SEARCH_PATH
  const urlQuery = onSearchPage ? search.get('q') ?? '' : ''
  const [value, setValue] = useState(urlQuery)
  const input = useRef<HTMLInputElement>(null)
  const timer = useRef<number | undefined>(undefined)

  // The address is the truth: back/forward and links to a search show their query here.
  useEffect(() => {
    if (input.current !== document.activeElement || !onSearchPage) setValue(urlQuery)
  }, [urlQuery, onSearchPage])

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const k = e.key.toLowerCase()
      if ((k === 'k' && (e.metaKey || e.ctrlKey) && !e.altKey) || (e.key === '/' && !e.metaKey && !e.ctrlKey && !e.altKey && !isTypingTarget(e.target))) {
        e.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  useEffect(() => () => window.clearTimeout(timer.current), [])

  const go = (text: string) => {
    window.clearTimeout(timer.current)
    const kinds = onSearchPage ? readKinds(search) : []
    // The first search from elsewhere is a new history entry; refining it replaces it.
    navigate(searchUrl(text.trim(), kinds), { replace: window.location.pathname === SEARCH_PATH })
  }

  function onChange(text: string) {
    setValue(text)
    window.clearTimeout(timer.current)
    if (!text.trim() && !onSearchPage) return
    timer.current = window.setTimeout(() => go(text), TYPING_PAUSE_MS)
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    go(value)
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Escape') input.current?.blur()
  }

  return (
    <form role="search" className={styles.form} onSubmit={onSubmit}>
      <svg className={styles.icon} viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.5 10.5L14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        className={styles.input}
        type="search"
        name="q"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Search your notes"
        aria-label="Search pages, todos and highlights"
        aria-keyshortcuts="/ Control+K Meta+K"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
      />
      <kbd className={styles.hint} aria-hidden="true">/</kbd>
    </form>
  )
}
