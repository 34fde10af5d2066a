import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { estimateUsage, makeCompletion } from './completion.ts'
import { makeErrorForStatus, makeInvalidRequest, makeMissingKey, makeWrongKey, renderErrorBody, type FakeError } from './errors.ts'
import type { RecordedImage } from './images.ts'
import { validateChatRequest } from './validate.ts'

// One request: record → route → key → JSON → shape → take the next scripted answer (only valid
// requests take one, as the real API rejects bad ones before doing anything) → delay → answer,
// stall or drop the connection.

export const CHAT_PATH = '/v1/chat/completions'

export interface ScriptedResponse {
  /** Default 200. A non-2xx status without `body` answers OpenAI's error for that status. */
  status?: number
  headers?: Record<string, string>
  /** The whole response body: an object is sent as JSON, a string as is (malformed JSON, say). */
  body?: unknown
  /** The answer's text (default: the fake's default transcript). */
  transcript?: string
  /** The answer's `message.content` as is, e.g. an array of content parts or null. Wins over transcript. */
  content?: unknown
  finishReason?: string | null
  /** Token usage to report; null leaves `usage` out. Default: an estimate. */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null
  delayMs?: number
  /** Never answer; the connection stays open until close(). */
  stall?: boolean
  /** Send the status line and headers and part of the body, then never finish. */
  stallAfterHeaders?: boolean
  /** Drop the connection without answering. */
  closeConnection?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  /** Request headers, without `authorization`. */
  headers: Record<string, string | string[] | undefined>
  hasAuth: boolean
  /** Whether the bearer key matched; null when the fake was started without a key. */
  authOk: boolean | null
  /** Parsed JSON body; null when absent or not JSON. */
  body: unknown
  bodyBytes: number
  images: RecordedImage[]
  /** The first image part, or null. */
  image: RecordedImage | null
  /** Status answered; null while pending, or when stalled or dropped. */
  status: number | null
  outcome: 'pending' | 'answered' | 'stalled' | 'closed'
  at: number
}

export interface FakeState {
  apiKey: string | undefined
  defaultTranscript: string
  delayMs: number
  now: () => number
  script: ScriptedResponse[]
  requests: RecordedRequest[]
  completions: number
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function readBearer(header: string | undefined): string | undefined {
  const found = header?.match(/^Bearer\s+(.+)$/i)
  return found ? found[1].trim() : undefined
}

function sendError(res: ServerResponse, record: RecordedRequest, error: FakeError) {
  const contentType = error.rawBody?.contentType ?? 'application/json'
  res.writeHead(error.status, { 'content-type': contentType, ...(error.headers ?? {}) })
  res.end(renderErrorBody(error))
  record.status = error.status
  record.outcome = 'answered'
}

function checkKey(state: FakeState, req: IncomingMessage): FakeError | undefined {
  if (state.apiKey === undefined) return undefined
  const given = readBearer(req.headers.authorization)
  if (given === undefined) return makeMissingKey()
  return given === state.apiKey ? undefined : makeWrongKey(given)
}

async function handle(state: FakeState, req: IncomingMessage, res: ServerResponse) {
  const method = (req.method ?? 'GET').toUpperCase()
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  const { authorization, ...headers } = req.headers
  const given = readBearer(authorization)
  const record: RecordedRequest = {
    method,
    path,
    headers,
    hasAuth: authorization !== undefined,
    authOk: state.apiKey === undefined ? null : given === state.apiKey,
    body: null,
    bodyBytes: 0,
    images: [],
    image: null,
    status: null,
    outcome: 'pending',
    at: state.now(),
  }
  state.requests.push(record)
  const raw = await readBody(req)
  record.bodyBytes = raw.length
  if (raw.length > 0) {
    try {
      record.body = JSON.parse(raw.toString('utf8'))
    } catch {
      record.body = null
    }
  }

  if (method !== 'POST' || path !== CHAT_PATH) return sendError(res, record, { ...makeInvalidRequest(`Invalid URL (${method} ${path})`), status: 404 })
  const keyError = checkKey(state, req)
  if (keyError) return sendError(res, record, keyError)
  if (record.body === null) {
    return sendError(
      res,
      record,
      makeInvalidRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      ),
    )
  }
  const validation = validateChatRequest(record.body)
  if (!validation.ok) return sendError(res, record, validation.error)
  record.images = validation.value.images
  record.image = validation.value.images[0] ?? null

  const step = state.script.shift() ?? {}
  const delayMs = step.delayMs ?? state.delayMs
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
  if (step.closeConnection) {
    record.outcome = 'closed'
    req.socket.destroy()
    return
  }
  if (step.stall) {
    record.outcome = 'stalled'
    return
  }
  const status = step.status ?? 200
  if (step.stallAfterHeaders) {
    record.outcome = 'stalled'
    res.writeHead(status, { 'content-type': 'application/json', ...(step.headers ?? {}) })
    res.write('{"id":"chatcmpl-stalled","object":"chat.completion",')
    return
  }
  if (status < 200 || status > 299) {
    if (step.body === undefined) return sendError(res, record, { ...makeErrorForStatus(status, validation.value.model), headers: step.headers })
  }
  let payload: string
  if (step.body !== undefined) {
    payload = typeof step.body === 'string' ? step.body : JSON.stringify(step.body)
  } else {
    state.completions++
    const content = 'content' in step ? step.content : (step.transcript ?? state.defaultTranscript)
    const usage = step.usage === null ? null : (step.usage ?? estimateUsage(validation.value, content))
    const completion = makeCompletion({
      id: `chatcmpl-ocrfake-${state.completions}`,
      created: Math.floor(state.now() / 1000),
      model: validation.value.model,
      content,
      finishReason: step.finishReason === undefined ? 'stop' : step.finishReason,
      usage,
    })
    payload = JSON.stringify(completion)
  }
  res.writeHead(status, { 'content-type': 'application/json', ...(step.headers ?? {}) })
  res.end(payload)
  record.status = status
  record.outcome = 'answered'
}

export async function startServer(state: FakeState): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      console.error('ocr fake: unexpected failure', error)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}/v1` }
}
