import { afterEach, describe, expect, it } from 'vitest'
import { startOcrFake, type OcrFake } from '../fakes/ocr/index.ts'
import { makeTinyPng } from './tinyPng.ts'

// The fake's own checks, against request bodies written by hand as OpenAI's docs show them.

const KEY = 'sk-fake-key-1234567890'
const png = makeTinyPng(16, 10)
const dataUrl = `data:image/png;base64,${Buffer.from(png).toString('base64')}`

let fake: OcrFake
afterEach(async () => {
  await fake?.close()
})

function validBody(overrides: Record<string, unknown> = {}) {
  return {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'Transcribe.' },
      { role: 'user', content: [{ type: 'text', text: 'Go.' }, { type: 'image_url', image_url: { url: dataUrl, detail: 'high' } }] },
    ],
    ...overrides,
  }
}

async function post(body: unknown, init: { key?: string | null; path?: string; method?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const key = init.key === undefined ? KEY : init.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  const response = await fetch(`${fake.url}${init.path ?? '/chat/completions'}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> }
}

function userContent(parts: unknown[]) {
  return validBody({ messages: [{ role: 'user', content: parts }] })
}

describe('OCR fake: answers like the chat-completions API', () => {
  it('answers a valid request with a chat.completion object', async () => {
    fake = await startOcrFake({ apiKey: KEY, defaultTranscript: '- hello' })
    const { status, json } = await post(validBody())
    expect(status).toBe(200)
    expect(json).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: '- hello' }, finish_reason: 'stop' }],
    })
    const { prompt_tokens, completion_tokens, total_tokens } = json.usage
    expect(total_tokens).toBe(prompt_tokens + completion_tokens)
    // 85 + one 512² tile for a small high-detail image, plus the text.
    expect(prompt_tokens).toBe(85 + 170 + Math.ceil('Transcribe.Go.'.length / 4))
  })

  it('records the request: headers without the key, parsed body, decoded image', async () => {
    fake = await startOcrFake({ apiKey: KEY })
    await post(validBody())
    const [request] = fake.requests
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', hasAuth: true, authOk: true, status: 200, outcome: 'answered' })
    expect(JSON.stringify(request.headers)).not.toContain(KEY)
    expect(request.image).toMatchObject({ source: 'data', mediaType: 'image/png', format: 'png', isPng: true, byteLength: png.length, width: 16, height: 10, detail: 'high' })
    expect((request.body as { model: string }).model).toBe('gpt-4o')
  })

  it('uses scripted answers in order, then the default; setDefaultTranscript changes the default', async () => {
    fake = await startOcrFake()
    fake.script([{ transcript: 'one' }, { status: 503 }])
    expect((await post(validBody(), { key: null })).json.choices[0].message.content).toBe('one')
    expect((await post(validBody(), { key: null })).status).toBe(503)
    fake.setDefaultTranscript('default now')
    expect((await post(validBody(), { key: null })).json.choices[0].message.content).toBe('default now')
    expect(fake.stats()).toMatchObject({ requests: 3, completions: 2, byStatus: { 200: 2, 503: 1 }, scriptRemaining: 0 })
  })

  it('an invalid request does not use up a scripted answer', async () => {
    fake = await startOcrFake()
    fake.script([{ transcript: 'kept for the valid one' }])
    expect((await post({ messages: [] }, { key: null })).status).toBe(400)
    expect(fake.stats().scriptRemaining).toBe(1)
    expect((await post(validBody(), { key: null })).json.choices[0].message.content).toBe('kept for the valid one')
  })

  it('accepts a request without a key when started without one', async () => {
    fake = await startOcrFake()
    expect((await post(validBody(), { key: null })).status).toBe(200)
    expect(fake.requests[0]).toMatchObject({ hasAuth: false, authOk: null })
  })

  it('accepts an http(s) image link without fetching it', async () => {
    fake = await startOcrFake()
    const { status } = await post(userContent([{ type: 'image_url', image_url: { url: 'https://example.com/page.png' } }]), { key: null })
    expect(status).toBe(200)
    expect(fake.requests[0].image).toMatchObject({ source: 'http', isPng: false, bytes: null })
  })

  it('resets requests and script', async () => {
    fake = await startOcrFake()
    fake.script([{ status: 500 }, { status: 500 }])
    await post(validBody(), { key: null })
    fake.reset()
    expect(fake.requests).toHaveLength(0)
    expect(fake.stats()).toMatchObject({ requests: 0, scriptRemaining: 0 })
  })
})

describe('OCR fake: refuses what the real API refuses, with its error shape', () => {
  const cases: [string, unknown, { message: string | RegExp; param?: string | null; code?: string | null }][] = [
    ['missing model', { messages: validBody().messages }, { message: 'you must provide a model parameter', param: null, code: null }],
    ['messages not an array', validBody({ messages: 'hello' }), { message: "Invalid type for 'messages': expected an array of objects, but got a string instead.", param: 'messages', code: 'invalid_type' }],
    ['messages missing', { model: 'gpt-4o' }, { message: "Missing required parameter: 'messages'.", param: 'messages', code: 'missing_required_parameter' }],
    ['messages empty', validBody({ messages: [] }), { message: /empty array/, param: 'messages', code: 'empty_array' }],
    ['unknown role', validBody({ messages: [{ role: 'bot', content: 'x' }] }), { message: /Invalid value: 'bot'/, param: 'messages[0].role', code: 'invalid_value' }],
    ['unknown part type', userContent([{ type: 'image', image: dataUrl }]), { message: "Invalid value: 'image'. Supported values are: 'text' and 'image_url'.", param: 'messages[0].content[0].type', code: 'invalid_value' }],
    ['image_url as a bare string (Ollama accepts it, OpenAI does not)', userContent([{ type: 'image_url', image_url: dataUrl }]), { message: /expected an object, but got a string/, param: 'messages[0].content[0].image_url', code: 'invalid_type' }],
    ['image URL without data: prefix', userContent([{ type: 'image_url', image_url: { url: Buffer.from(png).toString('base64') } }]), { message: /Invalid image URL: 'messages\[0\]\.content\[0\]\.image_url\.url'\. Expected a base64-encoded data URL .* but got a value without the 'data:' prefix\./, param: 'messages[0].content[0].image_url.url', code: 'invalid_value' }],
    ['data URL that is not an image', userContent([{ type: 'image_url', image_url: { url: 'data:text/plain;base64,aGk=' } }]), { message: /without an image MIME type/, code: 'invalid_value' }],
    ['broken base64', userContent([{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@@' } }]), { message: /invalid base64/, code: 'invalid_value' }],
    ['bytes that are no image', userContent([{ type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8gd29ybGQh' } }]), { message: /unsupported image/, code: 'invalid_image_format' }],
    ['unknown detail', userContent([{ type: 'image_url', image_url: { url: dataUrl, detail: 'ultra' } }]), { message: "Invalid value: 'ultra'. Supported values are: 'auto', 'low', and 'high'.", param: 'messages[0].content[0].image_url.detail' }],
    ['text part without text', userContent([{ type: 'text' }]), { message: "Missing required parameter: 'messages[0].content[0].text'.", code: 'missing_required_parameter' }],
    ['image in a system message', validBody({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: dataUrl } }] }] }), { message: /only allowed for messages with role 'user'/ }],
    ['unknown argument', validBody({ max_output_tokens: 10 }), { message: 'Unrecognized request argument supplied: max_output_tokens', param: null }],
    ['temperature too high', validBody({ temperature: 3 }), { message: /Expected a value <= 2, but got 3 instead/, param: 'temperature', code: 'decimal_above_max_value' }],
    ['stream: true', validBody({ stream: true }), { message: /does not serve streamed/, param: 'stream' }],
    ['a body that is not JSON', '{"model": ', { message: /could not parse the JSON body/ }],
  ]

  it.each(cases)('%s → 400', async (_name, body, expected) => {
    fake = await startOcrFake({ apiKey: KEY })
    const { status, json } = await post(body)
    expect(status).toBe(400)
    expect(Object.keys(json)).toEqual(['error'])
    expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type'])
    expect(json.error.type).toBe('invalid_request_error')
    if (typeof expected.message === 'string') expect(json.error.message).toBe(expected.message)
    else expect(json.error.message).toMatch(expected.message)
    if ('param' in expected) expect(json.error.param).toBe(expected.param)
    if ('code' in expected) expect(json.error.code).toBe(expected.code)
    expect(fake.stats()).toMatchObject({ requests: 1, completions: 0, byStatus: { 400: 1 } })
  })

  it('checks the key before the body: missing → 401, wrong → 401 invalid_api_key with the key masked', async () => {
    fake = await startOcrFake({ apiKey: KEY })
    const missing = await post({ not: 'even valid' }, { key: null })
    expect(missing.status).toBe(401)
    expect(missing.json.error).toMatchObject({ type: 'invalid_request_error', code: null, message: expect.stringContaining("You didn't provide an API key") })
    const wrongKey = 'sk-wrong-abcdefghijkl9876'
    const wrong = await post(validBody(), { key: wrongKey })
    expect(wrong.status).toBe(401)
    expect(wrong.json.error).toMatchObject({ code: 'invalid_api_key', message: expect.stringMatching(/^Incorrect API key provided: sk-\*+9876\./) })
    expect(wrong.json.error.message).not.toContain(wrongKey)
    expect(fake.requests.map((request) => request.authOk)).toEqual([false, false])
  })

  it('answers 404 in the same shape for other paths and methods', async () => {
    fake = await startOcrFake()
    const other = await post(validBody(), { path: '/completions', key: null })
    expect(other.status).toBe(404)
    expect(other.json.error.message).toBe('Invalid URL (POST /v1/completions)')
    const get = await post(undefined, { method: 'GET', key: null })
    expect(get.status).toBe(404)
    expect(get.json.error.message).toBe('Invalid URL (GET /v1/chat/completions)')
  })
})

describe('OCR fake: faults on demand', () => {
  it('scripted statuses answer OpenAI-shaped errors (502 as an HTML page)', async () => {
    fake = await startOcrFake()
    fake.script([{ status: 429, headers: { 'retry-after': '2' } }, { status: 500 }, { status: 502 }])
    const limited = await post(validBody(), { key: null })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('2')
    expect(limited.json.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' })
    expect((await post(validBody(), { key: null })).json.error.type).toBe('server_error')
    const gateway = await fetch(`${fake.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validBody()) })
    expect(gateway.status).toBe(502)
    expect(gateway.headers.get('content-type')).toBe('text/html')
    expect(await gateway.text()).toContain('502 Bad Gateway')
  })

  it('a stalled request stays open until close(), which ends it', async () => {
    fake = await startOcrFake()
    fake.script([{ stall: true }])
    const pending = fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(validBody()) }).then(
      () => 'answered',
      () => 'failed',
    )
    for (let i = 0; i < 200 && fake.stats().stalled === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(fake.requests[0]).toMatchObject({ outcome: 'stalled', status: null })
    await fake.close()
    expect(await pending).toBe('failed')
  })

  it('closeConnection drops the socket', async () => {
    fake = await startOcrFake()
    fake.script([{ closeConnection: true }])
    await expect(fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(validBody()) })).rejects.toThrow('fetch failed')
    expect(fake.requests[0].outcome).toBe('closed')
  })

  it('a raw body is sent as is', async () => {
    fake = await startOcrFake()
    fake.script([{ body: '{"truncated": ' }])
    const response = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(validBody()) })
    expect(await response.text()).toBe('{"truncated": ')
  })
})
