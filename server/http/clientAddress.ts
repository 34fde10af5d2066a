// The caller's network address, the one key every per-address limit (API, sign-in, sign-up) uses.
import type { IncomingMessage } from 'node:http'

/**
 * Behind a trusted proxy (TRUST_PROXY), the last X-Forwarded-For hop: the address the proxy itself saw.
 * Earlier hops are whatever the client wrote, so keying on them would let a caller pick a fresh
 * bucket per request. Without TRUST_PROXY, the socket's address.
 */
export function readClientAddress(req: IncomingMessage | undefined, trustProxy: boolean): string {
  const forwarded = trustProxy ? req?.headers['x-forwarded-for'] : undefined
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').map((h) => h.trim()).filter(Boolean)
  return hops.at(-1) || req?.socket.remoteAddress || 'unknown'
}
