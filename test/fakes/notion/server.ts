import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  fail,
  makeRateLimited,
  makeUnsupportedRequest,
  makeValidationError,
  MESSAGES,
  renderError,
  type ApiError,
  type Result,
} from './errors.ts'
import type { Faults, FaultRequest } from './faults.ts'
import { normalizeId } from './ids.ts'
import type { RateLimiter } from './rateLimit.ts'
import { endpointKeyOf, matchRoute, type RouteMatch } from './router.ts'
import type { RequestRecorder } from './stats.ts'
import { hashToken, type Integration, type Store } from './store.ts'
import { describeValue, type Json } from './validate.ts'

// The HTTP side: one request goes through latency, the rate limit, injected faults, authentication,
// the Notion-Version header, routing, capability, payload size, JSON parsing and the handler — and is
// recorded with its outcome.

export const NOTION_VERSION = '2025-09-03'
/** "500KB overall" (request-limits); taken as 500,000 bytes, the stricter reading. */
export const MAX_PAYLOAD_BYTES = 500_000

export interface ServerParts {
  store: Store
  limiter: RateLimiter
  faults: Faults
  recorder: RequestRecorder
}

export async function startServer(parts: ServerParts): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handleRequest(parts, req, res).catch((error: unknown) => {
      console.error('notion fake: unexpected failure', error)
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

async function handleRequest(parts: ServerParts, req: IncomingMessage, res: ServerResponse) {
  const at = Date.now()
  const requestId = randomUUID()
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const raw = await readBody(req)
  if (parts.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, parts.faults.latencyMs))

  const match = matchRoute(method, url.pathname)
  const endpoint = match.kind === 'route' ? endpointKeyOf(match.route) : `${method} (unknown)`
  const token = readBearer(req.headers.authorization)
  const integration = token === undefined ? undefined : parts.store.integrations.get(token)
  const rateKey = token === undefined ? 'anonymous' : hashToken(token)
  const faultRequest: FaultRequest = { method, path: url.pathname + url.search, endpoint, bodyText: raw.toString('utf8') }

  const decision = parts.limiter.admit(rateKey)
  let error: ApiError | undefined = decision.allowed ? parts.faults.takeBeforeApply(faultRequest) : makeRateLimited(decision.retryAfterSeconds)
  let body: Json | undefined
  if (!error) {
    const result = dispatch(parts, { method, url, match, headers: req.headers, raw, integration })
    if (result.ok) {
      body = result.value
      error = parts.faults.takeAfterApply(faultRequest)
    } else {
      error = result.error
    }
  }

  const retryAfter = error?.headers?.['retry-after']
  if (retryAfter !== undefined) parts.limiter.noteRetryAfter(rateKey, Number(retryAfter))
  const status = error ? error.status : 200
  const payload = error ? renderError(error, requestId) : { ...body, request_id: requestId }
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-notion-request-id': requestId,
    ...(error?.headers ?? {}),
  })
  res.end(JSON.stringify(payload))

  parts.recorder.record({
    requestId,
    method,
    path: url.pathname + url.search,
    endpoint,
    status,
    ...(error ? { code: error.code } : {}),
    integration: integration?.name ?? null,
    tokenHash: token === undefined ? null : hashToken(token),
    retryAfterViolation: !decision.allowed && decision.violation,
    at,
  })
}

interface Incoming {
  method: string
  url: URL
  match: RouteMatch
  headers: IncomingMessage['headers']
  raw: Buffer
  integration: Integration | undefined
}

function dispatch(parts: ServerParts, incoming: Incoming): Result<Json> {
  const { match, headers, raw, integration } = incoming
  if (!integration) return fail({ status: 401, code: 'unauthorized', message: MESSAGES.unauthorized })
  const version = headers['notion-version']
  if (version === undefined) return fail({ status: 400, code: 'missing_version', message: MESSAGES.missingVersion })
  if (version !== NOTION_VERSION) {
    // Notion accepts other versions; the fake only speaks 2025-09-03, the SDK's default, and says so.
    return fail(
      makeValidationError(
        `Notion-Version header failed validation: the local Notion fake serves only \`${NOTION_VERSION}\`, instead was ${describeValue(version)}.`,
      ),
    )
  }
  if (match.kind === 'unknown_url') return fail({ status: 400, code: 'invalid_request_url', message: MESSAGES.invalidRequestUrl })
  if (match.kind === 'wrong_method') return fail(makeUnsupportedRequest(`${incoming.method} ${match.patternKey}`))
  const { route } = match
  if (route.capability && !integration.capabilities[route.capability]) {
    return fail({ status: 403, code: 'restricted_resource', message: MESSAGES.restricted })
  }
  if (raw.length > MAX_PAYLOAD_BYTES) {
    // People report HTTP 413 for oversized requests; Notion's code and wording for it are not documented.
    return fail({
      status: 413,
      code: 'validation_error',
      message: `Request body too large: ${raw.length} bytes; the limit is 500KB.`,
    })
  }
  let body: unknown
  if (raw.length > 0 && route.method !== 'GET') {
    try {
      body = JSON.parse(raw.toString('utf8'))
    } catch {
      return fail({ status: 400, code: 'invalid_json', message: MESSAGES.invalidJson })
    }
  }
  const params: Record<string, string> = {}
  for (const [name, value] of Object.entries(match.params)) {
    const id = normalizeId(value)
    if (!id) return fail(makeValidationError(`path failed validation: path.${name} should be a valid uuid, instead was ${describeValue(value)}.`))
    params[name] = id
  }
  try {
    return route.handler({ store: parts.store, integration, params, query: incoming.url.searchParams, body })
  } catch (error) {
    // A bug in the fake, not a Notion behaviour: say so loudly and answer like Notion's 500.
    console.error('notion fake: handler failed', error)
    return fail({ status: 500, code: 'internal_server_error', message: MESSAGES.internal })
  }
}

function readBearer(header: string | undefined): string | undefined {
  const found = header?.match(/^Bearer\s+(.+)$/i)
  return found ? found[1].trim() : undefined
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
