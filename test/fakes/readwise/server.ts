// The HTTP side of the Readwise fake: each request goes through the throttle, injected faults,
// authentication (`Authorization: Token …`), routing and the handler, and is recorded with its outcome.
// Bodies are Django REST Framework's: errors as { "detail": "…" }, validation errors by field.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHash, randomUUID } from 'node:crypto'
import type { RequestRecorder } from '../notion/stats.ts'
import { Library, renderBook, renderHighlight, type Account } from './library.ts'
import type { Throttle } from './throttle.ts'
import { validateHighlightInput, validateHighlightUpdate, type HighlightInput } from './validateHighlight.ts'
import type { ReadwiseFaults } from './faults.ts'
import { DETAIL, throttled, type Answer } from './responses.ts'

export interface ServerParts {
  library: Library
  throttle: Throttle
  faults: ReadwiseFaults
  recorder: RequestRecorder
}

/** Readwise's own routes; every one ends in a slash (Django). */
const ROUTES: { method: string; pattern: RegExp; endpoint: string; list?: boolean }[] = [
  { method: 'GET', pattern: /^\/api\/v2\/auth\/$/, endpoint: 'GET /api/v2/auth/' },
  { method: 'POST', pattern: /^\/api\/v2\/highlights\/$/, endpoint: 'POST /api/v2/highlights/' },
  { method: 'GET', pattern: /^\/api\/v2\/highlights\/$/, endpoint: 'GET /api/v2/highlights/', list: true },
  { method: 'GET', pattern: /^\/api\/v2\/highlights\/(\d+)\/$/, endpoint: 'GET /api/v2/highlights/:id/' },
  { method: 'PATCH', pattern: /^\/api\/v2\/highlights\/(\d+)\/$/, endpoint: 'PATCH /api/v2/highlights/:id/' },
  { method: 'DELETE', pattern: /^\/api\/v2\/highlights\/(\d+)\/$/, endpoint: 'DELETE /api/v2/highlights/:id/' },
  { method: 'GET', pattern: /^\/api\/v2\/books\/$/, endpoint: 'GET /api/v2/books/', list: true },
]

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12)
}

export async function startServer(parts: ServerParts): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      console.error('readwise fake: unexpected failure', error)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}` }
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse) {
  const at = Date.now()
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const raw = await readBody(req)
  const route = ROUTES.find((r) => r.pattern.test(url.pathname) && r.method === method)
  const endpoint = route?.endpoint ?? `${method} (unknown)`
  const token = /^Token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  const account = token === undefined ? undefined : parts.library.accounts.get(token)
  const rateKey = token ?? 'anonymous'

  let answer: Answer
  let violation = false
  const decision = parts.throttle.admit(rateKey, route?.list === true)
  if (!decision.allowed) {
    violation = decision.violation
    answer = throttled(decision.retryAfterSeconds)
  } else {
    const fault = parts.faults.takeBefore({ method, endpoint, bodyText: raw.toString('utf8') })
    if (fault) answer = fault
    else {
      answer = dispatch(parts, { method, url, route, raw, token, account })
      const after = answer.status < 300 ? parts.faults.takeAfter({ method, endpoint, bodyText: raw.toString('utf8') }) : undefined
      if (after) answer = after
    }
  }
  const retryAfter = answer.headers?.['retry-after']
  if (retryAfter !== undefined) parts.throttle.noteRetryAfter(rateKey, Number(retryAfter))
  const headers: Record<string, string> = { ...(answer.headers ?? {}) }
  if (answer.body !== undefined) headers['content-type'] = 'application/json'
  res.writeHead(answer.status, headers)
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body))
  parts.recorder.record({
    requestId: randomUUID(),
    method,
    path: url.pathname + url.search,
    endpoint,
    status: answer.status,
    ...(answer.code ? { code: answer.code } : {}),
    integration: account?.name ?? null,
    tokenHash: token === undefined ? null : hashToken(token),
    retryAfterViolation: violation,
    at,
  })
}

interface Incoming {
  method: string
  url: URL
  route: (typeof ROUTES)[number] | undefined
  raw: Buffer
  token: string | undefined
  account: Account | undefined
}

function dispatch(parts: ServerParts, incoming: Incoming): Answer {
  const { route, account, method, url } = incoming
  const unauthorized = (detail: string): Answer => ({ status: 401, code: 'unauthorized', body: { detail }, headers: { 'www-authenticate': 'Token' } })
  if (incoming.token === undefined) return unauthorized(DETAIL.noCredentials)
  if (!account || account.revoked) return unauthorized(DETAIL.invalidToken)
  if (!route) {
    // Django answers another method on a known path with 405, an unknown path with 404.
    if (ROUTES.some((r) => r.pattern.test(url.pathname))) return { status: 405, code: 'method_not_allowed', body: { detail: DETAIL.methodNotAllowed(method) } }
    return { status: 404, code: 'not_found', body: { detail: DETAIL.notFound } }
  }
  let body: unknown
  if (incoming.raw.length > 0 && (method === 'POST' || method === 'PATCH')) {
    try {
      body = JSON.parse(incoming.raw.toString('utf8'))
    } catch (error) {
      return { status: 400, code: 'parse_error', body: { detail: DETAIL.parseError((error as Error).message) } }
    }
  }
  const id = Number(route.pattern.exec(url.pathname)?.[1])
  const lib = parts.library
  switch (route.endpoint) {
    case 'GET /api/v2/auth/':
      return { status: 204 }
    case 'POST /api/v2/highlights/': {
      const o = body as { highlights?: unknown } | undefined
      if (!o || typeof o !== 'object' || o.highlights === undefined) return invalid({ highlights: ['This field is required.'] })
      if (!Array.isArray(o.highlights)) return invalid({ highlights: { non_field_errors: [`Expected a list of items but got type "${typeof o.highlights}".`] } })
      const errors = o.highlights.map((item) => validateHighlightInput(item) ?? {})
      if (errors.some((e) => Object.keys(e).length)) return invalid({ highlights: errors })
      const books = lib.create(account, o.highlights as HighlightInput[])
      return { status: 200, body: books.map(({ book, modified }) => renderBook(account, book, modified)) }
    }
    case 'GET /api/v2/highlights/': {
      const all = lib.liveHighlights(account).sort((a, b) => b.updated.localeCompare(a.updated) || b.id - a.id)
      return { status: 200, body: paginate(url, all.map(renderHighlight)) }
    }
    case 'GET /api/v2/books/': {
      const books = [...account.books.values()].sort((a, b) => b.updated.localeCompare(a.updated) || b.id - a.id)
      return { status: 200, body: paginate(url, books.map((b) => renderBook(account, b))) }
    }
  }
  const highlight = account.highlights.get(id)
  if (!highlight || highlight.deleted) return { status: 404, code: 'not_found', body: { detail: DETAIL.notFound } }
  switch (route.endpoint) {
    case 'GET /api/v2/highlights/:id/':
      return { status: 200, body: renderHighlight(highlight) }
    case 'PATCH /api/v2/highlights/:id/': {
      const errors = validateHighlightUpdate(body ?? {})
      if (errors) return invalid(errors)
      const u = (body ?? {}) as { text?: string; note?: string | null; location?: number | null; url?: string | null; color?: string }
      if (u.text !== undefined) highlight.text = u.text
      if (u.note !== undefined) highlight.note = u.note ?? ''
      if (u.location !== undefined) highlight.location = u.location
      if (u.url !== undefined) highlight.highlightUrl = u.url
      if (u.color !== undefined) highlight.color = u.color
      lib.touch(highlight)
      return { status: 200, body: renderHighlight(highlight) }
    }
    case 'DELETE /api/v2/highlights/:id/':
      highlight.deleted = true
      return { status: 204 }
  }
  return { status: 404, code: 'not_found', body: { detail: DETAIL.notFound } }
}

function invalid(errors: unknown): Answer {
  return { status: 400, code: 'invalid', body: errors }
}

/** DRF's page-number pagination: page_size (default 100, at most 1000) and page. */
function paginate(url: URL, items: unknown[]) {
  const size = Math.min(1000, Math.max(1, Number(url.searchParams.get('page_size') ?? 100) || 100))
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
  const link = (p: number) => {
    const u = new URL(url.toString())
    u.searchParams.set('page', String(p))
    return u.pathname + u.search
  }
  return {
    count: items.length,
    next: page * size < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
