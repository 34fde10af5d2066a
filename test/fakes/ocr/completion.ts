import { estimateImageTokens } from './images.ts'
import type { ValidRequest } from './validate.ts'

// The chat.completion object OpenAI answers with (non-streamed).

export interface WireUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** Deterministic token counts: about four characters a token, images by OpenAI's tile rule. */
export function estimateUsage(request: ValidRequest, content: unknown): WireUsage {
  const textChars = request.texts.reduce((sum, text) => sum + text.length, 0)
  const prompt = Math.ceil(textChars / 4) + request.images.reduce((sum, image) => sum + estimateImageTokens(image), 0)
  const answerChars = typeof content === 'string' ? content.length : JSON.stringify(content ?? '').length
  const completion = Math.max(1, Math.ceil(answerChars / 4))
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}

export interface CompletionParts {
  id: string
  created: number
  model: string
  content: unknown
  finishReason: string | null
  usage: WireUsage | null
}

export function makeCompletion(parts: CompletionParts): Record<string, unknown> {
  return {
    id: parts.id,
    object: 'chat.completion',
    created: parts.created,
    model: parts.model,
    choices: [{ index: 0, message: { role: 'assistant', content: parts.content, refusal: null }, logprobs: null, finish_reason: parts.finishReason }],
    ...(parts.usage ? { usage: parts.usage } : {}),
    system_fingerprint: 'fp_ocrfake',
  }
}
