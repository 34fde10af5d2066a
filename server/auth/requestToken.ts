// Where a caller's token is: the Authorization header over HTTP, graphql-ws connection params on a socket.
import type { IncomingMessage } from 'node:http'

export function readBearer(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const m = /^Bearer\s+(\S+)$/i.exec(value.trim())
  return m?.[1]
}

export function readRequestToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return readBearer(Array.isArray(header) ? header[0] : header)
}

/** `{ authorization: "Bearer …" }` (or `Authorization`), or `{ token: "…" }`. */
export function readConnectionParamsToken(params: Record<string, unknown> | undefined): string | undefined {
  const p = params ?? {}
  const header = typeof p.authorization === 'string' ? p.authorization : typeof p.Authorization === 'string' ? p.Authorization : undefined
  return readBearer(header) ?? (typeof p.token === 'string' ? p.token : undefined)
}
