// The handwriting step of text extraction: what the extractor asks, and the answers it acts on.
import type { RmPage } from '../rm/index.ts'

export type HandwritingRead =
  | { kind: 'text'; text: string } // the page text: typed text plus the transcription
  | { kind: 'no_quota'; reason: string } // over the user's OCR quota: wait as pending_quota
  | { kind: 'failed'; reason: string } // permanent (bad request, auth): failed, retryable by the user
  | { kind: 'retry'; delayMs: number; reason: string } // transient (429, 5xx, timeout): try again later

export interface HandwritingReader {
  /** fileSha256: the bytes `page` was read from (the quota charges per page and bytes). */
  read(input: { pageId: number; userId: number; fileSha256: string; page: RmPage; typedMarkdown: string }): Promise<HandwritingRead>
}
