// Turns what a Notion call threw into the failure a user can act on, or undefined when it is not an
// expected one (then the caller rethrows and the error is masked and logged).
import { APIErrorCode, APIResponseError, RequestTimeoutError, UnknownHTTPResponseError } from '@notionhq/client'
import { NotionPacerWaitError } from '../pacer.ts'
import { readRetryAfterMs } from '../../ocr/retryAfter.ts'
import {
  NotionCapabilityMissingError,
  NotionDatabaseNotSharedError,
  NotionPageNotSharedError,
  NotionRateLimitedError,
  NotionTokenRejectedError,
  NotionUnreachableError,
  type NotionFailure,
} from './notionErrors.ts'

/** What the failed call was about, to name it in a not-found answer. */
export type NotionCallSubject = { databaseId: string } | { pageId: string } | Record<string, never>

export function classifyNotionError(error: unknown, subject: NotionCallSubject = {}): NotionFailure | undefined {
  if (error instanceof NotionPacerWaitError) return new NotionRateLimitedError(Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
  if (error instanceof RequestTimeoutError) return new NotionUnreachableError(null)
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case APIErrorCode.Unauthorized:
        return new NotionTokenRejectedError()
      case APIErrorCode.RestrictedResource:
        return new NotionCapabilityMissingError()
      case APIErrorCode.ObjectNotFound:
        if ('pageId' in subject) return new NotionPageNotSharedError(subject.pageId)
        if ('databaseId' in subject) return new NotionDatabaseNotSharedError(subject.databaseId)
        return undefined
      case APIErrorCode.RateLimited:
      case APIErrorCode.ServiceOverload:
        return new NotionRateLimitedError(Math.max(1, Math.ceil((readRetryAfterMs(asHeaders(error.headers)) ?? 1000) / 1000)))
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.GatewayTimeout:
        return new NotionUnreachableError(error.status)
      default:
        return error.status >= 500 ? new NotionUnreachableError(error.status) : undefined
    }
  }
  // A non-JSON answer (502 from a proxy, an HTML page): not Notion's API speaking.
  if (UnknownHTTPResponseError.isUnknownHTTPResponseError(error)) return new NotionUnreachableError(error.status)
  if (isNetworkFailure(error)) return new NotionUnreachableError(null)
  return undefined
}

/** fetch's own failures: refused, reset, DNS, TLS — a TypeError whose cause carries a system code. */
function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false
  const cause = (error as { cause?: { code?: unknown } }).cause
  return error.message === 'fetch failed' || typeof cause?.code === 'string'
}

function asHeaders(headers: unknown): Headers {
  if (headers instanceof Headers) return headers
  const result = new Headers()
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) if (typeof value === 'string') result.set(name, value)
  }
  return result
}
