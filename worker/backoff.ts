// Exponential backoff with full jitter: base · 2^(attempt-1), capped, times a random factor in [0.5, 1].
export function makeBackoffMs(attempt: number, baseMs: number, capMs = 15 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling * (0.5 + Math.random() / 2))
}
