// What an OCR provider gives back. Failures are values: the extract_page job decides from `kind`
// whether to reschedule (rate_limited, server_error, timeout, network) or to stop (auth,
// bad_request, bad_response) — this module never retries by itself.

export interface OcrUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
}

export type OcrError =
  | { kind: 'rate_limited'; retryAfterMs?: number; message: string; code?: string }
  | { kind: 'server_error'; status: number; retryAfterMs?: number; message: string; code?: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string }
  /** 401/403: permanent until the user fixes the configuration. */
  | { kind: 'auth'; status: number; message: string; code?: string }
  /** 400/404/422 and other 4xx, and redirects: permanent for this request. */
  | { kind: 'bad_request'; status: number; message: string; code?: string; param?: string }
  /** 2xx whose body is not a usable chat completion (not JSON, no choices, no content). */
  | { kind: 'bad_response'; message: string }

export type OcrErrorKind = OcrError['kind']

export type OcrResult =
  | {
      ok: true
      /** Cleaned Markdown; '' when the page has no handwriting. */
      text: string
      usage: OcrUsage | null
      /** The model that answered (the response's `model`, else the configured one). */
      model: string
      /** Request start to parsed answer. */
      latencyMs: number
      /** `length` means the model stopped at its output limit: the text is cut short. */
      finishReason: string | null
    }
  | { ok: false; error: OcrError; latencyMs: number }

export interface TranscribeOptions {
  /** Aborting rejects the call with the signal's reason (like fetch); it is not a provider failure. */
  signal?: AbortSignal
  /** A short description of the page (e.g. "Meeting notes, page 3") passed to the model as context. */
  pageHint?: string
}

export interface OcrProvider {
  readonly name: string
  transcribe(png: Uint8Array, opts?: TranscribeOptions): Promise<OcrResult>
}
