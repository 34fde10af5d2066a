// One page: its thumbnail, where its text stands, a preview that expands to the rendered Markdown,
// its state at each target (with Retry), and its highlights.
import { useId, useState } from 'react'
import { useClient, useMutation } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { Markdown } from '../../components/Markdown.tsx'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { PageSyncLine } from '../../components/sync/PageSyncLine.tsx'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import { HighlightItem } from './HighlightItem.tsx'
import { describeOcr } from './ocrWords.ts'
import { Link } from '../../lib/router.tsx'
import styles from './NotebookPage.module.css'

export const THUMBNAIL_WIDTH = 360

export const PageCardFragment = graphql(`
  fragment PageCard_Page on Page {
    id uuid pageNumber ocrStatus ocrError text textReadyAt uploadedAt fileSha256
    thumbnailUrl(width: 360)
    syncRecords { id ...SyncRecord_Fields }
    highlights { id ...HighlightItem_Highlight }
  }
`)

// A signed URL lives about five minutes; an image first scrolled into view later asks for a new one.
const FreshThumbnail = graphql(`
  query FreshThumbnail($id: ID!) { node(id: $id) { id ... on Page { thumbnailUrl(width: 360) } } }
`)

const RetryPageTextMutation = graphql(`
  mutation RetryPageText($input: RetryPageTextInput!) {
    retryPageText(input: $input) {
      __typename
      ... on Page { id ocrStatus ocrError }
      ... on Error { message code }
    }
  }
`)

export const pageAnchor = (pageNumber: number) => `page-${pageNumber}`

/** The first lines of a page's Markdown as plain text, for the collapsed preview. */
function previewOf(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^\s*(#{1,6}\s+|[-*+]\s+(\[[ xX]\]\s+)?|>\s?|\d+[.)]\s+)/, '').replace(/\*\*|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)/g, ''))
    .filter((l) => l.trim())
    .join('\n')
}

export function PageCard(props: {
  page: FragmentType<typeof PageCardFragment>
  quotaResetsAt: string | null | undefined
  ocrProvider?: string | null
  /** A search hit opened this notebook: the item's id, and the number of the page it is on. */
  hitId?: string | null
  hitPage?: number
}) {
  const page = getFragmentData(PageCardFragment, props.page)
  const client = useClient()
  const [expanded, setExpanded] = useState(false)
  const [thumbFailedFor, setThumbFailedFor] = useState<string | null>(null)
  const [retryText, runRetryText] = useMutation(RetryPageTextMutation)
  const textId = useId()
  const ocr = describeOcr(page.ocrStatus, page.ocrError, props.quotaResetsAt, !!page.text?.trim())
  const text = page.text?.trim() ?? ''
  const preview = previewOf(text)
  const highlights = page.highlights
  const retryError = readTypedError(retryText.data?.retryPageText)?.message ?? (retryText.error ? describeRequestError(retryText.error) : null)

  function onThumbnailError() {
    if (!page.thumbnailUrl || thumbFailedFor === page.thumbnailUrl) return
    setThumbFailedFor(page.thumbnailUrl)
    void client.query(FreshThumbnail, { id: page.id }, { requestPolicy: 'network-only' }).toPromise()
  }

  const label = page.pageNumber != null ? `Page ${page.pageNumber}` : 'Page (no longer in the notebook)'
  const isHit = !!props.hitId && (page.id === props.hitId || page.pageNumber === props.hitPage || highlights.some((h) => h.id === props.hitId))
  return (
    <article className={`card ${styles.pageCard}`} id={page.pageNumber != null ? pageAnchor(page.pageNumber) : undefined} tabIndex={-1} aria-label={label} data-testid="page-card" data-page-number={page.pageNumber ?? ''} data-hit={isHit || undefined}>
      <div className={styles.thumbWrap}>
        {page.thumbnailUrl && thumbFailedFor !== page.thumbnailUrl ? (
          <img className={styles.thumb} src={page.thumbnailUrl} alt={`${label}, as drawn`} loading="lazy" decoding="async" width={THUMBNAIL_WIDTH} height={Math.round((THUMBNAIL_WIDTH * 1872) / 1404)} onError={onThumbnailError} />
        ) : (
          <div className={styles.thumbEmpty}>{page.fileSha256 ? 'Loading preview…' : 'Not uploaded yet'}</div>
        )}
      </div>
      <div className={styles.pageBody}>
        <header className={styles.pageHead}>
          <h3>{label}{isHit && <span className={styles.hitTag}>Search result</span>}</h3>
          <span className={styles.ocr} data-tone={ocr.tone} data-testid="ocr-status">
            {ocr.words}
            {ocr.tone === 'ready' && page.textReadyAt && <> · <RelativeTime iso={page.textReadyAt} /></>}
          </span>
        </header>
        {page.ocrStatus === 'skipped' && props.ocrProvider === 'NONE' && /OCR provider/i.test(page.ocrError ?? '') && (
          <p className={styles.ocrHint} data-testid="ocr-how-to">
            Handwriting is read once this service has an OCR provider (<code>OCR_PROVIDER=openai</code> with a key, or a local Ollama). <Link to="/dashboard/settings/integrations#ocr">How to turn OCR on</Link>, then choose Read again here.
          </p>
        )}
        {page.ocrStatus === 'skipped' && props.ocrProvider !== 'NONE' && (
          <div>
            <button className="btn btn-sm" disabled={retryText.fetching} onClick={() => runRetryText({ input: { id: page.id } })}>{retryText.fetching ? 'Queuing…' : 'Read again'}</button>
          </div>
        )}
        {page.ocrStatus === 'failed' && (
          <div>
            <button className="btn btn-sm" disabled={retryText.fetching} onClick={() => runRetryText({ input: { id: page.id } })}>{retryText.fetching ? 'Queuing…' : 'Read again'}</button>
            {retryError && <p className="field-error" role="alert">{retryError}</p>}
          </div>
        )}

        {text ? (
          <div className={styles.text}>
            {expanded ? (
              <div id={textId}><Markdown source={text} /></div>
            ) : (
              <p id={textId} className={styles.preview} data-testid="page-preview">{preview}</p>
            )}
            <button type="button" className={`btn btn-sm btn-quiet ${styles.expand}`} aria-expanded={expanded} aria-controls={textId} onClick={() => setExpanded((v) => !v)}>
              {expanded ? 'Show less' : 'Show full text'}
            </button>
          </div>
        ) : (
          page.ocrStatus === 'completed' && <p className={styles.noText}>This page has no text.</p>
        )}

        {page.syncRecords.length > 0 && (
          <div className={styles.syncLines}>
            {page.syncRecords.map((r) => <PageSyncLine key={r.id} record={r} />)}
          </div>
        )}

        {highlights.length > 0 && (
          <div className={styles.highlights}>
            <h4>Highlights</h4>
            <ul>
              {highlights.map((h) => <HighlightItem key={h.id} highlight={h} isHit={h.id === props.hitId} />)}
            </ul>
          </div>
        )}
        {page.uploadedAt && (
          <p className={styles.uploaded}>Uploaded <RelativeTime iso={page.uploadedAt} /></p>
        )}
      </div>
    </article>
  )
}
