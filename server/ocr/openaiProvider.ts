import { cleanTranscript } from './cleanTranscript.ts'
import { INSTRUCTION, makeAsk } from './instruction.ts'
import { classifyFetchFailure, classifyHttpError, makeRedactor, shortenMessage } from './providerErrors.ts'
import { readCompletion } from './readCompletion.ts'
import type { OcrProvider, OcrResult, TranscribeOptions } from './types.ts'

// One page image → one chat-completions call to any OpenAI-compatible endpoint with image input
// (OpenAI, Gemini's /v1beta/openai, vLLM, Ollama's /v1). The body keeps to the fields all of
// them accept: model, messages (system text; user text + image_url with a data URL), temperature.
// No max_tokens: reasoning models count their thinking against it and answer empty when it is
// low, OpenAI's newer models refuse it (max_completion_tokens), and a page is short anyway.
// No retries here: the job reschedules from the typed result.

export interface OpenAiOcrOptions {
  /** e.g. https://api.openai.com/v1 (a trailing slash is fine). */
  baseUrl: string
  /** Sent as a Bearer token; leave empty for a local server that takes none (Ollama, vLLM). */
  apiKey?: string
  model: string
  /** Whole request, connection to last body byte. */
  timeoutMs: number
  /**
   * Default 0 (the most literal transcription). null leaves the field out: OpenAI's reasoning
   * models (o-series, gpt-5) answer 400 `unsupported_value` to anything but their default.
   */
  temperature?: number | null
  /** `detail` of the image part; Gemini and OpenAI read it, Ollama ignores it. Default 'high'. */
  imageDetail?: 'low' | 'high' | 'auto'
  fetch?: typeof fetch
  /** Clock for Retry-After dates. */
  now?: () => number
}

interface Endpoint {
  url: string
  origin: string
}

/** The endpoint for a base URL; throws (without echoing it) when unusable, since that is a start-up configuration error. */
function makeEndpoint(baseUrl: string): Endpoint {
  let base: URL
  try {
    base = new URL(baseUrl)
  } catch {
    throw new Error('OCR base URL is not a valid URL')
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('OCR base URL must be http or https')
  // fetch refuses URLs with credentials and quotes the URL in its error: catch it here instead.
  if (base.username || base.password) throw new Error('OCR base URL must not contain a user name or password; use the API key setting')
  const path = base.pathname.replace(/\/+$/, '')
  return { url: `${base.origin}${path}/chat/completions${base.search}`, origin: base.origin }
}

function encodeDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`
}

export function makeOpenAiOcrProvider(options: OpenAiOcrOptions): OcrProvider {
  const endpoint = makeEndpoint(options.baseUrl)
  const fetchImpl = options.fetch ?? globalThis.fetch
  const apiKey = options.apiKey?.trim() || undefined
  // fetch would refuse such a header on every call (and quote it); say so once, at start.
  if (apiKey && !/^[\x21-\x7e]+$/.test(apiKey)) throw new Error('OCR API key contains spaces or characters that cannot be sent in a header')
  const redact = makeRedactor(apiKey)
  const now = options.now ?? Date.now
  const temperature = options.temperature === undefined ? 0 : options.temperature
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (apiKey) headers.authorization = `Bearer ${apiKey}`

  function makeBody(png: Uint8Array, pageHint: string | undefined): string {
    return JSON.stringify({
      model: options.model,
      messages: [
        { role: 'system', content: INSTRUCTION },
        {
          role: 'user',
          content: [
            { type: 'text', text: makeAsk(pageHint) },
            { type: 'image_url', image_url: { url: encodeDataUrl(png), detail: options.imageDetail ?? 'high' } },
          ],
        },
      ],
      ...(temperature === null ? {} : { temperature }),
    })
  }

  async function transcribe(png: Uint8Array, opts: TranscribeOptions = {}): Promise<OcrResult> {
    const { signal } = opts
    signal?.throwIfAborted()
    const started = performance.now()
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, options.timeoutMs)
    const forwardAbort = () => controller.abort(signal?.reason)
    signal?.addEventListener('abort', forwardAbort, { once: true })
    const fail = (error: unknown): OcrResult => {
      if (signal?.aborted) throw signal.reason
      return { ok: false, error: classifyFetchFailure(error, timedOut, options.timeoutMs, endpoint.origin, redact), latencyMs: elapsed() }
    }
    try {
      let response: Response
      let bodyText: string
      try {
        response = await fetchImpl(endpoint.url, {
          method: 'POST',
          headers,
          body: makeBody(png, opts.pageHint),
          signal: controller.signal,
          redirect: 'manual',
        })
        bodyText = await response.text()
      } catch (error) {
        return fail(error)
      }
      if (response.status < 200 || response.status > 299) {
        return { ok: false, error: classifyHttpError(response, bodyText, redact, now()), latencyMs: elapsed() }
      }
      const reading = readCompletion(bodyText)
      if (!reading.ok) return { ok: false, error: { kind: 'bad_response', message: shortenMessage(redact(reading.message)) }, latencyMs: elapsed() }
      return {
        ok: true,
        text: cleanTranscript(reading.content),
        usage: reading.usage,
        model: reading.model ?? options.model,
        latencyMs: elapsed(),
        finishReason: reading.finishReason,
      }
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', forwardAbort)
    }
  }

  return { name: 'openai', transcribe }
}
