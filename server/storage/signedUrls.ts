// Short-lived signed URLs for files the dashboard shows (page thumbnails): the signature covers the
// path and the expiry, so a URL cannot be altered or used after it expires.
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface UrlSigner {
  sign(pathname: string, ttlSeconds?: number, now?: Date): string
  /** True when `exp` and `sig` match the path and the URL has not expired. */
  verify(pathname: string, exp: string | null, sig: string | null, now?: Date): boolean
}

export function makeUrlSigner(secret: string): UrlSigner {
  const mac = (pathname: string, exp: string) => createHmac('sha256', secret).update(`${pathname}\n${exp}`).digest('base64url')
  return {
    sign(pathname, ttlSeconds = 300, now = new Date()) {
      const exp = String(Math.floor(now.getTime() / 1000) + ttlSeconds)
      return `${pathname}?exp=${exp}&sig=${mac(pathname, exp)}`
    },
    verify(pathname, exp, sig, now = new Date()) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false
      if (Number(exp) < Math.floor(now.getTime() / 1000)) return false
      const expected = Buffer.from(mac(pathname, exp))
      const given = Buffer.from(sig)
      return expected.length === given.length && timingSafeEqual(expected, given)
    },
  }
}
