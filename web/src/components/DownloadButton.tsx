// A download through a signed URL: the URL lives a few minutes, so it is asked for when the button is
// pressed, then followed by a link the browser saves.
import { useState } from 'react'
import { describeRequestError } from '../lib/errors.ts'
import type { CombinedError } from 'urql'

export function DownloadButton(props: { label: string; ariaLabel?: string; className?: string; testId?: string; fetchUrl: () => Promise<{ url: string | null; error?: CombinedError | string }> }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function download() {
    setBusy(true)
    setError(null)
    const { url, error } = await props.fetchUrl()
    setBusy(false)
    if (!url) return setError(typeof error === 'string' ? error : describeRequestError(error) ?? 'The download could not be prepared.')
    const a = document.createElement('a')
    a.href = url
    a.download = ''
    document.body.append(a)
    a.click()
    a.remove()
  }
  return (
    <>
      <button type="button" className={props.className ?? 'btn btn-sm'} onClick={download} disabled={busy} aria-label={props.ariaLabel} data-testid={props.testId}>
        <svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true"><path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
        {busy ? 'Preparing…' : props.label}
      </button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </>
  )
}
