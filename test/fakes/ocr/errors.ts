// OpenAI's error shape: `{ error: { message, type, param, code } }`. Messages quoted from real
// answers where one is known (see README.md); the others say they are the fake's wording.

export interface FakeError {
  status: number
  message: string
  type: string
  param: string | null
  code: string | null
  headers?: Record<string, string>
  /** Sent as is instead of the JSON error (a proxy's HTML page). */
  rawBody?: { contentType: string; text: string }
}

export function renderErrorBody(error: FakeError): string {
  if (error.rawBody) return error.rawBody.text
  return JSON.stringify({ error: { message: error.message, type: error.type, param: error.param, code: error.code } })
}

export function makeInvalidRequest(message: string, param: string | null = null, code: string | null = null): FakeError {
  return { status: 400, message, type: 'invalid_request_error', param, code }
}

/** OpenAI shows the first characters and the last four of a wrong key. */
function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`
}

export function makeMissingKey(): FakeError {
  return {
    status: 401,
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    type: 'invalid_request_error',
    param: null,
    code: null,
  }
}

export function makeWrongKey(given: string): FakeError {
  return {
    status: 401,
    message: `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  }
}

/** The error a scripted status answers with when the script gives no body. */
export function makeErrorForStatus(status: number, model: string): FakeError {
  switch (status) {
    case 400:
      return makeInvalidRequest('Bad request (scripted by the OCR fake).')
    case 401:
      return makeWrongKey('sk-scripted-by-the-ocr-fake')
    case 403:
      // Fake's wording.
      return { status, message: 'You are not allowed to use this model (scripted by the OCR fake).', type: 'invalid_request_error', param: null, code: 'model_not_allowed' }
    case 404:
      return { status, message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' }
    case 429:
      return {
        status,
        message: `Rate limit reached for ${model} in organization org-ocrfake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      }
    case 500:
      return { status, message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
    case 502:
      // OpenAI's 502s come from its edge as an HTML page, not JSON.
      return {
        status,
        message: 'Bad gateway',
        type: 'server_error',
        param: null,
        code: null,
        rawBody: { contentType: 'text/html', text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n' },
      }
    case 503:
      return { status, message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null, code: null }
    default:
      return { status, message: `HTTP ${status} (scripted by the OCR fake).`, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null }
  }
}
