// The handwriting OCR quota, always in the header: used / limit, when it resets, pages waiting.
// It is read again whenever a page's reading status changes (an event, not a timer).
import { useEffect, useRef } from 'react'
import { useClient, useSubscription } from 'urql'
import { graphql, getFragmentData, type FragmentType } from '../gql/index.ts'
import { formatShortDate } from '../lib/time.ts'
import styles from './OcrQuota.module.css'

export const OcrQuotaFragment = graphql(`
  fragment OcrQuota_Viewer on Viewer {
    id
    ocrUsage { used limit resetsAt plan pagesWaiting }
  }
`)

const QuotaRefresh = graphql(`
  query OcrQuotaRefresh { viewer { id ...OcrQuota_Viewer } }
`)

const PageStatusChanged = graphql(`
  subscription OcrQuotaPageStatus { pageUpdated { id ocrStatus } }
`)

export function OcrQuota(props: { viewer: FragmentType<typeof OcrQuotaFragment> }) {
  const { ocrUsage: q } = getFragmentData(OcrQuotaFragment, props.viewer)
  const client = useClient()
  const timer = useRef<number | undefined>(undefined)
  useSubscription({ query: PageStatusChanged }, (_prev, event) => {
    window.clearTimeout(timer.current)
    timer.current = window.setTimeout(() => void client.query(QuotaRefresh, {}, { requestPolicy: 'network-only' }).toPromise(), 400)
    return event
  })
  useEffect(() => () => window.clearTimeout(timer.current), [])

  const ratio = q.limit > 0 ? Math.min(1, q.used / q.limit) : 1
  const tone = q.pagesWaiting > 0 || ratio >= 1 ? 'danger' : ratio >= 0.8 ? 'warning' : 'normal'
  const resets = q.resetsAt ? `resets ${formatShortDate(q.resetsAt)}` : 'period starts with your first handwritten page'
  const summary = `Handwriting OCR: ${q.used} of ${q.limit} pages used this period (${q.plan} plan), ${resets}${q.pagesWaiting ? `; ${q.pagesWaiting} page${q.pagesWaiting === 1 ? '' : 's'} waiting for quota` : ''}`
  return (
    <div className={styles.quota} data-tone={tone} title={summary} data-testid="ocr-quota">
      <span className="visually-hidden">{summary}</span>
      <span className={styles.label} aria-hidden="true">OCR</span>
      <span className={styles.meter} aria-hidden="true">
        <span className={styles.fill} style={{ width: `${ratio * 100}%` }} />
      </span>
      <span className={styles.figures} aria-hidden="true">
        {q.used}/{q.limit}
      </span>
      <span className={styles.resets} aria-hidden="true">{q.resetsAt ? `· resets ${formatShortDate(q.resetsAt)}` : ''}</span>
      {q.pagesWaiting > 0 && (
        <span className={`badge badge-danger ${styles.waiting}`} aria-hidden="true">
          {q.pagesWaiting} waiting
        </span>
      )}
    </div>
  )
}
