import { describe, expect, it } from 'vitest'
import { makeOpenAiOcrProvider, type OcrError, type OcrResult } from '../../server/ocr/index.ts'
import { findFreePort } from '../helpers/ports.ts'
import { API_KEY, useOcrFake } from './helpers.ts'
import { makeTinyPng } from './tinyPng.ts'

const png = makeTinyPng()

function errorOf(result: OcrResult): OcrError {
  if (result.ok) throw new Error(`expected a failure, got text ${JSON.stringify(result.text)}`)
  return result.error
}

describe('OpenAI-compatible provider: failures as typed results', () => {
  const start = useOcrFake()

  describe('rate limits', () => {
    it('429 with Retry-After seconds → rate_limited with retryAfterMs', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 429, headers: { 'retry-after': '20' } }])
      expect(errorOf(await provider.transcribe(png))).toEqual({
        kind: 'rate_limited',
        retryAfterMs: 20_000,
        code: 'rate_limit_exceeded',
        message: expect.stringContaining('Rate limit reached for gpt-4o-mini'),
      })
    })

    it('429 with an HTTP-date → the time left until then', async () => {
      const now = Date.parse('2026-11-25T12:00:00Z')
      const { fake, provider } = await start(undefined, { now: () => now })
      fake.script([{ status: 429, headers: { 'retry-after': new Date(now + 45_000).toUTCString() } }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 45_000 })
    })

    it('429 with retry-after-ms wins over retry-after', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 429, headers: { 'retry-after-ms': '750', 'retry-after': '1' } }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 750 })
    })

    it('429 without a usable header → rate_limited without retryAfterMs (the job picks its backoff)', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 429 }, { status: 429, headers: { 'retry-after': 'later' } }])
      for (let i = 0; i < 2; i++) {
        const error = errorOf(await provider.transcribe(png))
        expect(error.kind).toBe('rate_limited')
        expect('retryAfterMs' in error).toBe(false)
      }
    })

    it("429 insufficient_quota keeps OpenAI's code so the job can tell it from a passing limit", async () => {
      const { fake, provider } = await start()
      const body = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }
      fake.script([{ status: 429, body }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'rate_limited', code: 'insufficient_quota', message: expect.stringContaining('exceeded your current quota') })
    })
  })

  describe('server errors', () => {
    it.each([500, 502, 503, 504])('%i → server_error with the status', async (status) => {
      const { fake, provider } = await start()
      fake.script([{ status }])
      const error = errorOf(await provider.transcribe(png))
      expect(error).toMatchObject({ kind: 'server_error', status })
      expect(error.message.length).toBeGreaterThan(0)
      expect(error.message).not.toContain('<')
    })

    it("502's HTML page becomes a short status line", async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 502 }])
      expect(errorOf(await provider.transcribe(png))).toEqual({ kind: 'server_error', status: 502, message: 'HTTP 502 Bad Gateway' })
    })

    it('503 with Retry-After carries it', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 503, headers: { 'retry-after': '3' } }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'server_error', status: 503, retryAfterMs: 3_000 })
    })
  })

  describe('no answer', () => {
    it('a stalled server → timeout after timeoutMs', async () => {
      const { fake, provider } = await start(undefined, { timeoutMs: 200 })
      fake.script([{ stall: true }])
      const result = await provider.transcribe(png)
      expect(errorOf(result)).toEqual({ kind: 'timeout', message: expect.stringMatching(/within 200 ms/) })
      expect(fake.stats().stalled).toBe(1)
    })

    it('headers then a body that never ends → timeout too', async () => {
      const { fake, provider } = await start(undefined, { timeoutMs: 200 })
      fake.script([{ stallAfterHeaders: true }])
      expect(errorOf(await provider.transcribe(png)).kind).toBe('timeout')
    })

    it('a dropped connection → network', async () => {
      const { fake, provider } = await start()
      fake.script([{ closeConnection: true }])
      const error = errorOf(await provider.transcribe(png))
      expect(error.kind).toBe('network')
      expect(error.message).toContain(new URL(fake.url).origin)
      expect(fake.stats().closed).toBe(1)
    })

    it('nothing listening → network', async () => {
      const port = await findFreePort()
      const provider = makeOpenAiOcrProvider({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', timeoutMs: 2_000 })
      const error = errorOf(await provider.transcribe(png))
      expect(error.kind).toBe('network')
      expect(error.message).toMatch(/ECONNREFUSED/)
    })

    it('408 from the server → timeout', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 408 }])
      expect(errorOf(await provider.transcribe(png)).kind).toBe('timeout')
    })
  })

  describe('permanent failures', () => {
    it('a wrong key → auth 401 (checked by the fake)', async () => {
      const { fake } = await start()
      const provider = makeOpenAiOcrProvider({ baseUrl: fake.url, apiKey: 'sk-wrong-0000000000000000', model: 'gpt-4o-mini', timeoutMs: 5_000 })
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_api_key' })
      expect(fake.requests[0].authOk).toBe(false)
    })

    it('no key where one is needed → auth 401', async () => {
      const { fake } = await start()
      const provider = makeOpenAiOcrProvider({ baseUrl: fake.url, model: 'gpt-4o-mini', timeoutMs: 5_000 })
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'auth', status: 401, message: expect.stringContaining("didn't provide an API key") })
    })

    it('403 → auth 403', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 403 }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'auth', status: 403 })
    })

    it('400 from real validation → bad_request with the server message', async () => {
      const { fake } = await start()
      const provider = makeOpenAiOcrProvider({ baseUrl: fake.url, apiKey: API_KEY, model: '', timeoutMs: 5_000 })
      expect(errorOf(await provider.transcribe(png))).toEqual({ kind: 'bad_request', status: 400, message: 'you must provide a model parameter' })
    })

    it('400 for temperature on a reasoning model keeps param and code', async () => {
      const { fake, provider } = await start()
      const body = {
        error: {
          message: "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value',
        },
      }
      fake.script([{ status: 400, body }])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'bad_request', status: 400, code: 'unsupported_value', param: 'temperature' })
    })

    it.each([
      [404, 'model_not_found'],
      [422, undefined],
      [413, undefined],
    ])('%i → bad_request', async (status, code) => {
      const { fake, provider } = await start()
      fake.script([{ status }])
      const error = errorOf(await provider.transcribe(png))
      expect(error).toMatchObject({ kind: 'bad_request', status })
      if (code) expect(error).toMatchObject({ code })
    })

    it("reads Gemini's error shape (an array) and older vLLM's (top-level message)", async () => {
      const { fake, provider } = await start()
      fake.script([
        { status: 400, body: [{ error: { code: 400, message: 'Image input modality is not enabled for models/x', status: 'INVALID_ARGUMENT' } }] },
        { status: 400, body: { object: 'error', message: 'The model does not support image input', type: 'BadRequestError', param: null, code: 400 } },
      ])
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'bad_request', code: 'INVALID_ARGUMENT', message: 'Image input modality is not enabled for models/x' })
      expect(errorOf(await provider.transcribe(png))).toMatchObject({ kind: 'bad_request', message: 'The model does not support image input' })
    })

    it('a redirect is not followed (it would resend the key) → bad_request naming where', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 307, headers: { location: 'https://api.example.com/v1/chat/completions?x=1' }, body: '' }])
      const error = errorOf(await provider.transcribe(png))
      expect(error).toMatchObject({ kind: 'bad_request', status: 307, message: expect.stringContaining('https://api.example.com/v1/chat/completions') })
      expect(fake.stats().requests).toBe(1)
    })
  })

  describe('unusable 200 answers → bad_response', () => {
    it.each([
      ['malformed JSON', '{"id": "chatcmpl-1", "choices": [', /not JSON/],
      ['a JSON array', '[]', /not a JSON object/],
      ['empty choices', { id: 'x', object: 'chat.completion', choices: [] }, /no choices/],
      ['no message', { choices: [{ index: 0, finish_reason: 'stop' }] }, /no message/],
      ['null content', { choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'length' }] }, /no text content \(finish_reason: length\)/],
      ['a refusal', { choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: "I can't help with that." }, finish_reason: 'stop' }] }, /model refused: I can't help/],
      ['content parts without text', { choices: [{ index: 0, message: { role: 'assistant', content: [{ type: 'image_url' }] } }] }, /no text content/],
      ['an error inside a 200', { error: { message: 'upstream provider failed', code: 502 } }, /carries an error: upstream provider failed/],
    ])('%s', async (_name, body, message) => {
      const { fake, provider } = await start()
      fake.script([{ body }])
      const error = errorOf(await provider.transcribe(png))
      expect(error.kind).toBe('bad_response')
      expect(error.message).toMatch(message)
    })
  })

  describe('the API key never leaves in an error', () => {
    const echoes = [
      { status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } },
      { status: 400, body: { error: { message: `bad header Authorization: Bearer ${API_KEY}`, code: `key_${API_KEY}` } } },
      { status: 500, body: `upstream said: ${API_KEY}`, headers: { 'content-type': 'text/plain' } },
      { status: 429, body: { error: { message: `slow down ${encodeURIComponent(API_KEY)}` } } },
      { body: { error: { message: `proxy failed for key ${API_KEY}` } } },
      { body: { choices: [{ message: { content: null, refusal: `no (${API_KEY})` } }] } },
    ]

    it.each(echoes.map((echo, at) => [at, echo] as const))('echo %i is redacted', async (_at, echo) => {
      const { fake, provider } = await start()
      fake.script([echo])
      const result = await provider.transcribe(png)
      expect(result.ok).toBe(false)
      const text = JSON.stringify(result)
      expect(text).not.toContain(API_KEY)
      expect(text).toContain('[redacted]')
    })

    it('also when the key sits where a long message is cut short', async () => {
      const { fake, provider } = await start()
      fake.script([{ status: 400, body: { error: { message: `${'x'.repeat(290)} ${API_KEY}` } } }])
      const result = await provider.transcribe(png)
      expect(errorOf(result).message.length).toBeLessThanOrEqual(301)
      expect(JSON.stringify(result)).not.toContain(API_KEY.slice(0, 6))
    })

    it('also when the transport itself fails with the key in its message', async () => {
      const leaky = (async () => {
        throw new TypeError('fetch failed', { cause: new Error(`socket hang up while sending Bearer ${API_KEY}`) })
      }) as typeof fetch
      const provider = makeOpenAiOcrProvider({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: API_KEY, model: 'm', timeoutMs: 1_000, fetch: leaky })
      const result = await provider.transcribe(png)
      expect(errorOf(result).kind).toBe('network')
      expect(JSON.stringify(result)).not.toContain(API_KEY)
    })

    it('and in no failure kind the suite produces', async () => {
      const { fake, provider } = await start(undefined, { timeoutMs: 200 })
      fake.script([{ status: 429 }, { status: 500 }, { status: 502 }, { stall: true }, { closeConnection: true }, { status: 404 }, { body: '{' }])
      const results = []
      for (let i = 0; i < 7; i++) results.push(await provider.transcribe(png))
      const wrong = makeOpenAiOcrProvider({ baseUrl: fake.url, apiKey: `${API_KEY}x`, model: 'm', timeoutMs: 1_000 })
      results.push(await wrong.transcribe(png))
      expect(results.map((result) => (result.ok ? 'ok' : result.error.kind))).toEqual([
        'rate_limited', 'server_error', 'server_error', 'timeout', 'network', 'bad_request', 'bad_response', 'auth',
      ])
      expect(JSON.stringify(results)).not.toContain(API_KEY)
    })
  })

  describe('cancellation by the caller', () => {
    it('an abort during the call rejects with the reason (not a provider failure)', async () => {
      const { fake, provider } = await start()
      fake.script([{ stall: true }])
      const controller = new AbortController()
      const call = provider.transcribe(png, { signal: controller.signal })
      await vitestWaitFor(() => fake.stats().stalled === 1)
      controller.abort(new Error('worker shutting down'))
      await expect(call).rejects.toThrow('worker shutting down')
    })

    it('an already aborted signal rejects before any request', async () => {
      const { fake, provider } = await start()
      await expect(provider.transcribe(png, { signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone')
      expect(fake.stats().requests).toBe(0)
    })
  })
})

async function vitestWaitFor(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  if (!check()) throw new Error('condition not reached')
}
