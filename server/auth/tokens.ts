// Bearer tokens: random, prefixed by kind so a leaked one is recognisable, stored only as SHA-256.
import { createHash, randomBytes } from 'node:crypto'

export const SESSION_TOKEN_PREFIX = 'rms_'
export const API_TOKEN_PREFIX = 'rmc_'

export type TokenKind = 'session' | 'api_token'

export function makeToken(kind: TokenKind): string {
  return (kind === 'session' ? SESSION_TOKEN_PREFIX : API_TOKEN_PREFIX) + randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function readTokenKind(token: string): TokenKind | undefined {
  if (token.startsWith(SESSION_TOKEN_PREFIX)) return 'session'
  if (token.startsWith(API_TOKEN_PREFIX)) return 'api_token'
  return undefined
}

/** What a user sees of a token after creation: "rmc_AbCd…". */
export function makeTokenDisplayPrefix(token: string): string {
  return token.slice(0, 8)
}
