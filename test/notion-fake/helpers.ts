import { Client, isHTTPResponseError, LogLevel } from '@notionhq/client'
import type { BlockObjectRequest } from '@notionhq/client'
import type { NotionFake } from '../fakes/notion/index.ts'

// Shared by the fake's tests: a real SDK client pointed at the fake, error capture, raw HTTP for what
// the SDK would not send, and block builders.

export function makeClient(notion: NotionFake, token: string): Client {
  // retry: false so every 429/5xx reaches the test; ERROR keeps the SDK's failure warnings out of the output.
  return new Client({ auth: token, baseUrl: notion.url, retry: false, logLevel: LogLevel.ERROR })
}

export interface CapturedError {
  status: number
  code: string
  message: string
  body: Record<string, unknown>
  headers: Headers
}

/** The error a call failed with, read from the HTTP answer; fails the test if the call succeeded. */
export async function captureError(call: Promise<unknown>): Promise<CapturedError> {
  try {
    await call
  } catch (error) {
    if (!isHTTPResponseError(error)) throw error
    const body = JSON.parse(error.body) as Record<string, unknown>
    return {
      status: error.status,
      code: String(body.code),
      message: String(body.message),
      body,
      headers: error.headers as Headers,
    }
  }
  throw new Error('expected the call to fail, it succeeded')
}

export interface RawAnswer {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/** A request the SDK would not send as-is (no version header, unknown top-level keys, broken JSON). */
export async function sendRaw(
  notion: NotionFake,
  options: { method: string; path: string; token?: string; version?: string | null; body?: string | object },
): Promise<RawAnswer> {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.version !== null) headers['notion-version'] = options.version ?? '2025-09-03'
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  const response = await fetch(`${notion.url}${options.path}`, { method: options.method, headers, body })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
}

export function text(content: string) {
  return [{ type: 'text' as const, text: { content } }]
}

// Literal types, so the blocks fit the SDK's request types at every nesting level.
export function paragraph(content: string) {
  return { type: 'paragraph' as const, paragraph: { rich_text: text(content) } }
}

export function bullet(content: string, children?: unknown[]): BlockObjectRequest {
  return { type: 'bulleted_list_item', bulleted_list_item: { rich_text: text(content), ...(children ? { children } : {}) } } as BlockObjectRequest
}

export function todo(content: string, checked = false) {
  return { type: 'to_do' as const, to_do: { rich_text: text(content), checked } }
}

/** Text of a block in an SDK answer. */
export function plainOf(block: unknown): string {
  const b = block as Record<string, unknown>
  const content = b[b.type as string] as { rich_text?: { plain_text: string }[] } | undefined
  return (content?.rich_text ?? []).map((r) => r.plain_text).join('')
}
