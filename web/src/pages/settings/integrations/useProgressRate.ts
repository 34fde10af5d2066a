// Items per second from the progress events seen on this screen, and the time left at that rate.
// The samples come from events, so nothing is polled; a reload starts a new estimate.
import { useEffect, useRef, useState } from 'react'

export interface ProgressSample {
  synced: number
  pending: number
  failed: number
  total: number
  at: number
}

export interface ProgressRate {
  perSecond: number
  secondsLeft: number
}

const WINDOW_MS = 30_000

export function useProgressRate(latest: ProgressSample | null): ProgressRate | null {
  const samples = useRef<ProgressSample[]>([])
  const [rate, setRate] = useState<ProgressRate | null>(null)
  useEffect(() => {
    if (!latest) return
    const list = samples.current
    list.push(latest)
    while (list.length > 2 && latest.at - list[0].at > WINDOW_MS) list.shift()
    const first = list[0]
    const done = latest.synced + latest.failed - (first.synced + first.failed)
    const seconds = (latest.at - first.at) / 1000
    if (latest.pending === 0) samples.current = [latest]
    setRate(done > 0 && seconds > 0.5 && latest.pending > 0 ? { perSecond: done / seconds, secondsLeft: latest.pending / (done / seconds) } : null)
  }, [latest])
  return rate
}
