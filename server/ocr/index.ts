/**
 * Handwriting OCR: a page's strokes (PNG) → Markdown through an OpenAI-compatible
 * chat-completions endpoint, plus the text clean-up and merge both processes need.
 */
export type { OcrError, OcrErrorKind, OcrProvider, OcrResult, OcrUsage, TranscribeOptions } from './types.ts'
export { makeOpenAiOcrProvider, type OpenAiOcrOptions } from './openaiProvider.ts'
export { INSTRUCTION, TRANSCRIBE_ASK, makeAsk } from './instruction.ts'
export { cleanTranscript } from './cleanTranscript.ts'
export { mergePageText } from './mergeText.ts'
export { readRetryAfterMs } from './retryAfter.ts'
