// A provider failure → what the extraction does next, with a reason the user can act on. The
// provider's messages are already redacted and cut short (server/ocr/providerErrors.ts); for auth
// failures none is shown at all, since providers quote part of the key ("sk-ab***1234").
import type { OcrError } from '../ocr/index.ts'
import type { HandwritingRead } from './handwriting.ts'

export type OcrFailureRead = Extract<HandwritingRead, { kind: 'failed' } | { kind: 'retry' }>

/** OpenAI's 429 for an account out of credit: waiting does not help. */
const OUT_OF_CREDIT = 'insufficient_quota'

export function describeOcrFailure(error: OcrError): OcrFailureRead {
  switch (error.kind) {
    case 'rate_limited':
      if (error.code === OUT_OF_CREDIT) {
        return { kind: 'failed', reason: 'The OCR provider account has run out of credit (insufficient_quota); retry the page once it is topped up' }
      }
      return { kind: 'retry', delayMs: error.retryAfterMs ?? 0, reason: `The OCR provider is rate limiting requests (HTTP 429): ${error.message}` }
    case 'server_error':
      return { kind: 'retry', delayMs: error.retryAfterMs ?? 0, reason: `The OCR provider had an error (HTTP ${error.status}): ${error.message}` }
    case 'timeout':
      return { kind: 'retry', delayMs: 0, reason: `The OCR provider did not answer in time: ${error.message}` }
    case 'network':
      return { kind: 'retry', delayMs: 0, reason: `The OCR provider could not be reached: ${error.message}` }
    case 'auth':
      return { kind: 'failed', reason: `The OCR provider did not accept the configured API key (HTTP ${error.status}); fix the OCR settings (OCR_API_KEY), then retry the page` }
    case 'bad_request':
      return { kind: 'failed', reason: `The OCR provider refused the request (HTTP ${error.status}): ${error.message}. Check the OCR settings (OCR_MODEL, OCR_BASE_URL), then retry the page` }
    case 'bad_response':
      return { kind: 'failed', reason: `The OCR provider's answer could not be used: ${error.message}; retry the page` }
  }
}
