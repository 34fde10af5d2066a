// A highlighted passage, with its corrected text editable (saved with updateHighlight, then synced).
import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import styles from './NotebookPage.module.css'

export const HighlightItemFragment = graphql(`
  fragment HighlightItem_Highlight on Highlight { id originalText correctedText text color removedAt }
`)

const UpdateHighlightMutation = graphql(`
  mutation UpdateHighlight($input: UpdateHighlightInput!) {
    updateHighlight(input: $input) {
      __typename
      ... on Highlight { id correctedText text updatedAt }
      ... on Error { message code }
    }
  }
`)

export function HighlightItem(props: { highlight: FragmentType<typeof HighlightItemFragment>; isHit?: boolean }) {
  const h = getFragmentData(HighlightItemFragment, props.highlight)
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(h.text)
  const [state, update] = useMutation(UpdateHighlightMutation)
  const [error, setError] = useState<string | null>(null)

  async function save(e: FormEvent) {
    e.preventDefault()
    setError(null)
    const corrected = draft.trim() === h.originalText ? null : draft
    const r = await update({ input: { id: h.id, correctedText: corrected } })
    const typed = readTypedError(r.data?.updateHighlight)
    if (typed || r.error) return setError(typed?.message ?? describeRequestError(r.error))
    setEditing(false)
  }

  if (h.removedAt) return null
  return (
    <li className={styles.highlight} data-color={h.color} data-hit={props.isHit || undefined}>
      {editing ? (
        <form onSubmit={save} className={styles.highlightForm}>
          <label className="visually-hidden" htmlFor={`hl-${h.id}`}>Corrected text</label>
          <textarea id={`hl-${h.id}`} className="input" value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          {h.correctedText && <p className="field-hint">Originally: “{h.originalText}”</p>}
          {error && <p className="field-error" role="alert">{error}</p>}
          <div className={styles.highlightActions}>
            <button className="btn btn-sm btn-primary" type="submit" disabled={state.fetching}>{state.fetching ? 'Saving…' : 'Save'}</button>
            <button className="btn btn-sm btn-quiet" type="button" onClick={() => { setEditing(false); setDraft(h.text) }}>Cancel</button>
          </div>
        </form>
      ) : (
        <>
          <blockquote className={styles.highlightText}>{h.text}</blockquote>
          <div className={styles.highlightActions}>
            {h.correctedText && <span className="badge">corrected</span>}
            <button className="btn btn-sm btn-quiet" onClick={() => { setDraft(h.text); setEditing(true) }}>Edit</button>
          </div>
        </>
      )}
    </li>
  )
}
