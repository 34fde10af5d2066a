// A value to copy (a token, a command): shown in full, selectable, with a Copy button that says when
// it worked.
import { useState } from 'react'
import styles from './CopyField.module.css'

export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  async function copy() {
    try {
      await navigator.clipboard.writeText(value)
      setCopied('yes')
    } catch {
      setCopied('no')
    }
    window.setTimeout(() => setCopied(null), 2000)
  }
  return (
    <div className={styles.copy}>
      <span className={styles.label}>{label}</span>
      <div className={styles.box}>
        <code className={styles.value} data-testid={testId} tabIndex={0}>{value}</code>
        <button type="button" className="btn btn-sm" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="visually-hidden" role="status">{copied === 'yes' ? `${label} copied` : copied === 'no' ? 'Copying failed; select the text and copy it yourself' : ''}</span>
    </div>
  )
}
