// The WebSocket's state, for the header's "Live" dot and for queries that refetch after a reconnect
// (events missed while offline are not replayed, so the data is read again instead).
import { useEffect, useRef, useSyncExternalStore } from 'react'

export type LiveState = 'connecting' | 'live' | 'offline'

let state: LiveState = 'connecting'
let reconnects = 0
const listeners = new Set<() => void>()

function emit() {
  for (const l of listeners) l()
}

export const liveConnection = {
  setState(next: LiveState) {
    if (next === state) return
    state = next
    emit()
  },
  markReconnected() {
    reconnects += 1
    emit()
  },
}

function subscribe(l: () => void) {
  listeners.add(l)
  return () => listeners.delete(l)
}

export const useLiveState = () => useSyncExternalStore(subscribe, () => state)

/** Calls `refetch` after every reconnect of the socket (not on the first connect). */
export function useRefetchOnReconnect(refetch: () => void) {
  const count = useSyncExternalStore(subscribe, () => reconnects)
  const first = useRef(count)
  const latest = useRef(refetch)
  latest.current = refetch
  useEffect(() => {
    if (count !== first.current) latest.current()
  }, [count])
}
