// A page's way to text, in words a user understands.
import { formatShortDate } from '../../lib/time.ts'

export type OcrTone = 'ready' | 'working' | 'waiting' | 'attention' | 'failed'

export function describeOcr(status: string, error: string | null | undefined, quotaResetsAt: string | null | undefined, hasText: boolean): { tone: OcrTone; words: string } {
  switch (status) {
    case 'completed':
      return { tone: 'ready', words: 'Text ready' }
    case 'processing':
      return { tone: 'working', words: 'Reading the page…' }
    case 'pending':
      return { tone: 'working', words: 'Waiting to be read' }
    case 'pending_quota':
      return { tone: 'waiting', words: `Waiting for OCR quota — resumes by itself${quotaResetsAt ? ` when it resets on ${formatShortDate(quotaResetsAt)}` : ''}` }
    case 'skipped': {
      const why = error ? error.charAt(0).toUpperCase() + error.slice(1) : 'Not fully read'
      return { tone: 'attention', words: hasText && /OCR provider/i.test(why) ? `Typed text only — ${error}` : why }
    }
    case 'failed':
      return { tone: 'failed', words: `Reading failed: ${error ?? 'no reason given'}` }
    default:
      return { tone: 'working', words: status }
  }
}
