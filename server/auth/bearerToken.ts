// Where a caller's token is: an `Authorization: Bearer <token>` value (HTTP header or graphql-ws
// connection param), or `{ token }` in graphql-ws connection params.
import type { IncomingMessage } from 'node:http'

export function readBearerToken(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const m = /^Bearer\s+(\S+)$/i.exec(value.trim())
  return m?.[1]
}

export function readRequestToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return readBearerToken(Array.isArray(header) ? header[0] : header)
}

/** `{ authorization: "Bearer …" }` (or `Authorization`), or `{ token: "…" }`. */
export function readConnectionParamsToken(params: Record<string, unknown> | undefined): string | undefined {
  const p = params ?? {}
  const header = typeof p.authorization === 'string' ? p.authorization : typeof p.Authorization === 'string' ? p.Authorization : undefined
  return readBearerToken(header) ?? (typeof p.token === 'string' ? p.token : undefined)
}
