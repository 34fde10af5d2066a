// Notion's error object and codes (NOTION-API.md §2). Every failure the fake answers is one of these,
// built here so status, code and wording stay in one place.

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request_url'
  | 'invalid_request'
  | 'validation_error'
  | 'missing_version'
  | 'unauthorized'
  | 'restricted_resource'
  | 'object_not_found'
  | 'conflict_error'
  | 'rate_limited'
  | 'internal_server_error'
  | 'bad_gateway'
  | 'service_unavailable'
  | 'database_connection_unavailable'
  | 'gateway_timeout'
  | 'service_overload'

export interface ApiError {
  status: number
  code: ErrorCode
  message: string
  additional_data?: Record<string, unknown>
  /** Extra response headers, e.g. Retry-After on 429. */
  headers?: Record<string, string>
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

export function fail(error: ApiError): { ok: false; error: ApiError } {
  return { ok: false, error }
}

export const MESSAGES = {
  invalidJson: 'Error parsing JSON body.',
  invalidRequestUrl: 'Invalid request URL',
  missingVersion:
    'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
  unauthorized: 'API token is invalid.',
  // Seen in real answers (makenotion/notion-sdk-js#494, raycast/extensions#8579).
  restricted: 'Insufficient permissions for this endpoint.',
  conflict: 'Conflict occurred while saving. Please try again.',
  rateLimited: 'You have been rate limited. Please try again in a few minutes.',
  internal: 'Unexpected error occurred.',
  badGateway: 'Bad Gateway',
  unavailable: 'Notion is unavailable, please try again later.',
  databaseUnavailable: 'Database connection unavailable.',
  gatewayTimeout: 'Gateway Timeout',
  serviceOverload: 'Service overloaded.',
  // Real wording (dvanoni/notero#525).
  archived: "Can't edit block that is archived. You must unarchive the block before editing.",
  // Real wording (SDK tests, 2025-09-03 upgrade reports).
  multipleDataSources: 'Databases with multiple data sources are not supported in this API version.',
} as const

export type ObjectKind = 'block' | 'page' | 'database' | 'data_source'

export function makeNotFound(kind: ObjectKind, id: string): ApiError {
  // Real wording for block/page/database; for data sources the real noun is not documented.
  const noun = kind === 'data_source' ? 'data source' : kind
  return {
    status: 404,
    code: 'object_not_found',
    message: `Could not find ${noun} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  }
}

export function makeValidationError(message: string, additional_data?: Record<string, unknown>): ApiError {
  return additional_data
    ? { status: 400, code: 'validation_error', message, additional_data }
    : { status: 400, code: 'validation_error', message }
}

export function makeUnsupportedRequest(name: string): ApiError {
  return { status: 400, code: 'invalid_request', message: `Unsupported request: ${name}.` }
}

export function makeRateLimited(retryAfterSeconds: number): ApiError {
  return {
    status: 429,
    code: 'rate_limited',
    message: MESSAGES.rateLimited,
    headers: { 'retry-after': String(retryAfterSeconds) },
  }
}

const DEFAULT_FOR_STATUS: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'validation_error', message: 'body failed validation.' },
  401: { code: 'unauthorized', message: MESSAGES.unauthorized },
  403: { code: 'restricted_resource', message: MESSAGES.restricted },
  404: { code: 'object_not_found', message: 'Could not find object.' },
  409: { code: 'conflict_error', message: MESSAGES.conflict },
  429: { code: 'rate_limited', message: MESSAGES.rateLimited },
  500: { code: 'internal_server_error', message: MESSAGES.internal },
  502: { code: 'bad_gateway', message: MESSAGES.badGateway },
  503: { code: 'service_unavailable', message: MESSAGES.unavailable },
  504: { code: 'gateway_timeout', message: MESSAGES.gatewayTimeout },
  529: { code: 'service_overload', message: MESSAGES.serviceOverload },
}

/** The error Notion answers for a bare status (used by injected faults). */
export function makeErrorForStatus(status: number, code?: ErrorCode, message?: string): ApiError {
  const fallback = DEFAULT_FOR_STATUS[status] ?? { code: 'internal_server_error' as const, message: MESSAGES.internal }
  const error: ApiError = { status, code: code ?? fallback.code, message: message ?? fallback.message }
  if (status === 429 || status === 529) error.headers = { 'retry-after': '1' }
  return error
}

/** The JSON body of an error answer. */
export function renderError(error: ApiError, requestId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    object: 'error',
    status: error.status,
    code: error.code,
    message: error.message,
  }
  if (error.additional_data) body.additional_data = error.additional_data
  body.request_id = requestId
  return body
}
