// How long a provider asked us to wait. OpenAI sends `retry-after` (seconds) and, on some
// responses, `retry-after-ms`; RFC 9110 also allows an HTTP-date. The job schedules the retry.

const SECONDS = /^\d+(\.\d+)?$/

/** Milliseconds to wait (0 when the date is already past), or undefined when no usable header came. */
export function readRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim()
  if (ms && SECONDS.test(ms)) return Math.ceil(Number(ms))
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (SECONDS.test(value)) return Math.ceil(Number(value) * 1000)
  // Only an HTTP-date (it names a day and month): Date.parse also accepts "-5" and the like.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
