// Handwriting OCR: which provider reads handwriting here, the quota used against the plan, and what
// each plan allows. Turning it on is a server setting, so the card says which one.
import { useQuery, useSubscription } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { formatShortDate } from '../../../lib/time.ts'
import { TargetCard, type TargetStatus } from './TargetCard.tsx'
import styles from './Integrations.module.css'

const OcrQuery = graphql(`
  query OcrSettingsCard { viewer { id ocrUsage { provider plan used limit resetsAt pagesWaiting periodDays plans { name pagesPerPeriod } } } }
`)

const PageStatusChanged = graphql(`
  subscription OcrCardPageStatus { pageUpdated { id ocrStatus } }
`)

export function OcrCard() {
  const [{ data }, refetch] = useQuery({ query: OcrQuery })
  useSubscription({ query: PageStatusChanged }, (_prev, event) => {
    refetch({ requestPolicy: 'network-only' })
    return event
  })
  const q = data?.viewer?.ocrUsage
  const status: TargetStatus = !q
    ? { tone: 'neutral', words: 'Loading…' }
    : q.provider === 'NONE'
      ? { tone: 'warning', words: 'Off: typed text only' }
      : q.pagesWaiting
        ? { tone: 'danger', words: `${q.pagesWaiting} waiting for quota` }
        : { tone: 'success', words: 'On' }
  return (
    <TargetCard id="ocr" name="Handwriting OCR" mark="✎" blurb="Typed text is read on the tablet’s own terms; handwriting needs a vision model to read it." status={status}>
      {q && (
        <div className={styles.steps} data-testid="ocr-card">
          <dl className={styles.facts}>
            <div><dt>Provider</dt><dd data-testid="ocr-provider">{q.provider === 'NONE' ? 'None — handwritten pages are skipped' : 'An OpenAI-compatible vision model'}</dd></div>
            <div><dt>This period</dt><dd>{q.used} of {q.limit} pages ({q.plan} plan){q.resetsAt ? `, resets ${formatShortDate(q.resetsAt)}` : ''}</dd></div>
            <div><dt>Plans</dt><dd>{q.plans.map((p) => `${p.name}: ${p.pagesPerPeriod} pages`).join(' · ')} per {q.periodDays} days</dd></div>
          </dl>
          {q.provider === 'NONE' && (
            <div className="notice notice-info" data-testid="ocr-how-to">
              <p><b>To read handwriting,</b> whoever runs this service sets these for the worker and the server, then restarts them:</p>
              <pre className={styles.code}>{'OCR_PROVIDER=openai\nOCR_API_KEY=sk-…          # or OCR_BASE_URL=http://localhost:11434/v1 for Ollama\nOCR_MODEL=gpt-4o-mini'}</pre>
              <p>Pages skipped so far can then be read with <b>Read again</b> on their notebook page.</p>
            </div>
          )}
        </div>
      )}
    </TargetCard>
  )
}
