import { describe, expect, it } from 'vitest'
import { readRetryAfterMs } from '../../server/ocr/index.ts'

const NOW = Date.parse('2026-11-25T12:00:00Z')

describe('readRetryAfterMs', () => {
  it('reads seconds, including decimals', () => {
    expect(readRetryAfterMs(new Headers({ 'retry-after': '20' }), NOW)).toBe(20_000)
    expect(readRetryAfterMs(new Headers({ 'retry-after': '0.5' }), NOW)).toBe(500)
    expect(readRetryAfterMs(new Headers({ 'retry-after': '0' }), NOW)).toBe(0)
  })

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(readRetryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }), NOW)).toBe(30_000)
    expect(readRetryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }), NOW)).toBe(0)
  })

  it('prefers retry-after-ms', () => {
    expect(readRetryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '2' }), NOW)).toBe(1500)
    expect(readRetryAfterMs(new Headers({ 'retry-after-ms': '12.3' }), NOW)).toBe(13)
  })

  it('ignores absent and unusable values', () => {
    expect(readRetryAfterMs(new Headers(), NOW)).toBeUndefined()
    expect(readRetryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined()
    expect(readRetryAfterMs(new Headers({ 'retry-after': '-5' }), NOW)).toBeUndefined()
    expect(readRetryAfterMs(new Headers({ 'retry-after-ms': 'abc', 'retry-after': '3' }), NOW)).toBe(3000)
  })
})
