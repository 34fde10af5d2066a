import { readErrorBody } from './providerErrors.ts'
import type { OcrUsage } from './types.ts'

// A 2xx chat-completions body → the answer's raw text. `choices[0].message.content` is a string
// for OpenAI, Gemini and Ollama; some compatible servers send an array of content parts instead
// (only the text parts count; "thinking" parts and the like are dropped).

export type CompletionReading =
  | { ok: true; content: string; usage: OcrUsage | null; model: string | undefined; finishReason: string | null }
  | { ok: false; message: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return undefined
  const texts = content.flatMap((part) => {
    if (typeof part === 'string') return [part]
    if (isRecord(part) && (part.type === 'text' || part.type === 'output_text') && typeof part.text === 'string') return [part.text]
    return []
  })
  return texts.length === 0 && content.length > 0 ? undefined : texts.join('')
}

function readCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

export function readUsage(value: unknown): OcrUsage | null {
  if (!isRecord(value)) return null
  const promptTokens = readCount(value.prompt_tokens)
  const completionTokens = readCount(value.completion_tokens)
  if (promptTokens === undefined || completionTokens === undefined) return null
  return { promptTokens, completionTokens, totalTokens: readCount(value.total_tokens) ?? promptTokens + completionTokens }
}

export function readCompletion(bodyText: string): CompletionReading {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    return { ok: false, message: `response is not JSON (${bodyText.length} bytes)` }
  }
  if (!isRecord(body)) return { ok: false, message: 'response is not a JSON object' }
  const choices = body.choices
  if (!Array.isArray(choices) || choices.length === 0) {
    // Some proxies answer 200 with an error body.
    const error = body.error === undefined ? undefined : readErrorBody(bodyText).message
    return { ok: false, message: error ? `response carries an error: ${error}` : 'response has no choices' }
  }
  const choice: unknown = choices[0]
  const message = isRecord(choice) ? choice.message : undefined
  if (!isRecord(message)) return { ok: false, message: 'choices[0] has no message' }
  const finishReason = isRecord(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null
  const content = readContent(message.content)
  if (content === undefined) {
    if (typeof message.refusal === 'string' && message.refusal !== '') return { ok: false, message: `model refused: ${message.refusal}` }
    return { ok: false, message: `choices[0].message has no text content (finish_reason: ${finishReason ?? 'none'})` }
  }
  return { ok: true, content, usage: readUsage(body.usage), model: typeof body.model === 'string' ? body.model : undefined, finishReason }
}
