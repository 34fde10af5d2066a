// Short-lived signed URLs for files the dashboard shows (page thumbnails): the signature covers the
// path, every query parameter and the expiry, so a URL cannot be altered (another page, another
// width) or used after it expires. URLs are relative (path and query): the dashboard is served by
// the same server.
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface SignOptions {
  /** How long the URL works at least (default 300 s); it may work up to EXPIRY_STEP_SECONDS longer. */
  ttlSeconds?: number
  now?: Date
}

export type UrlCheckFailure = 'unsigned' | 'malformed' | 'expired' | 'bad_signature'

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: UrlCheckFailure }

export interface UrlSigner {
  /** `/path?a=1` → `/path?a=1&exp=…&sig=…`. */
  sign(target: string, options?: SignOptions): string
  /** Checks a request target (path and query) made by sign(); on success, the parsed URL to serve. */
  verify(target: string, now?: Date): UrlCheck
}

/** Expiries are rounded up to this, so one file asked for twice within it gets one URL the browser can cache. */
export const EXPIRY_STEP_SECONDS = 60
const SIGNATURE_PARAMS = new Set(['exp', 'sig'])
// Only used to parse a path; never part of what is signed or returned.
const PARSE_BASE = 'http://signed.invalid'

export function makeUrlSigner(secret: string): UrlSigner {
  if (secret.length === 0) throw new Error('makeUrlSigner needs a secret')
  const mac = (canonical: string, exp: string) => createHmac('sha256', secret).update(`${canonical}\n${exp}`).digest('base64url')
  return {
    sign(target, options = {}) {
      const url = new URL(target, PARSE_BASE)
      for (const name of SIGNATURE_PARAMS) url.searchParams.delete(name)
      const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000)
      const exp = String(Math.ceil((nowSeconds + (options.ttlSeconds ?? 300)) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS)
      const sig = mac(canonicalize(url), exp)
      url.searchParams.append('exp', exp)
      url.searchParams.append('sig', sig)
      return `${url.pathname}${url.search}`
    },
    verify(target, now = new Date()) {
      let url: URL
      try {
        url = new URL(target, PARSE_BASE)
      } catch {
        return { ok: false, reason: 'malformed' }
      }
      const exps = url.searchParams.getAll('exp')
      const sigs = url.searchParams.getAll('sig')
      if (exps.length === 0 && sigs.length === 0) return { ok: false, reason: 'unsigned' }
      if (exps.length !== 1 || sigs.length !== 1 || !/^\d{1,12}$/.test(exps[0])) return { ok: false, reason: 'malformed' }
      const expected = Buffer.from(mac(canonicalize(url), exps[0]))
      const given = Buffer.from(sigs[0])
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' }
      if (Number(exps[0]) < Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' }
      return { ok: true, url }
    },
  }
}

/** Path plus the query without exp/sig, parameters sorted by name: the same URL however its query is ordered. */
function canonicalize(url: URL): string {
  const params = new URLSearchParams([...url.searchParams].filter(([name]) => !SIGNATURE_PARAMS.has(name)))
  params.sort()
  return `${url.pathname}?${params.toString()}`
}
