// Dry run: what the last sync of a notebook would have sent to Notion, in words. Read again when the
// notebook changes (a new plan announces its notebook), so it follows the tablet live.
import { useId, useState } from 'react'
import { useQuery, useSubscription } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { RelativeTime } from '../../../components/RelativeTime.tsx'
import { describePlan } from './previewWords.ts'
import styles from './Integrations.module.css'

const PreviewNotebooks = graphql(`
  query DryRunNotebooks { viewer { id notebooks(first: 200) { edges { node { id visibleName } } } } }
`)

const PreviewQuery = graphql(`
  query DryRunPreview($id: ID!) { syncPreview(notebookId: $id) { target createdAt requestCount requests } }
`)

const NotebookChanged = graphql(`
  subscription DryRunNotebookChanged($id: ID) { notebookUpdated(notebookId: $id) { id updatedAt } }
`)

export function DryRunPreview({ target }: { target: 'NOTION' | 'READWISE' }) {
  const selectId = useId()
  const [{ data: list }] = useQuery({ query: PreviewNotebooks })
  const notebooks = (list?.viewer?.notebooks.edges ?? []).map((e) => e.node)
  const [chosen, setChosen] = useState('')
  const notebookId = chosen || notebooks[0]?.id || ''
  const [{ data }, refetch] = useQuery({ query: PreviewQuery, variables: { id: notebookId }, pause: !notebookId, requestPolicy: 'network-only' })
  useSubscription({ query: NotebookChanged, variables: { id: notebookId }, pause: !notebookId }, (_prev, event) => {
    refetch({ requestPolicy: 'network-only' })
    return event
  })
  const preview = data?.syncPreview.find((p) => p.target === target) ?? null
  const plan = preview ? describePlan(preview.requests) : null
  return (
    <div className={styles.preview} data-testid="dry-run-preview">
      <div className={styles.previewHead}>
        <h3>Dry run preview</h3>
        {notebooks.length > 1 && (
          <div className={styles.inline}>
            <label className="field-label" htmlFor={selectId}>Notebook</label>
            <select id={selectId} className="input" value={notebookId} onChange={(e) => setChosen(e.target.value)}>
              {notebooks.map((n) => <option key={n.id} value={n.id}>{n.visibleName}</option>)}
            </select>
          </div>
        )}
      </div>
      {!notebookId && <p className="muted small">No notebooks yet.</p>}
      {notebookId && !preview && <p className="muted small">Nothing planned for this notebook yet: the plan appears here when it next changes on the tablet.</p>}
      {preview && plan && (
        <>
          <p className="muted small">
            Planned <RelativeTime iso={preview.createdAt} />: {plan.changes.length === 0 ? 'no change to send' : `${plan.changes.length} ${plan.changes.length === 1 ? 'change' : 'changes'}`}
            {plan.reads ? `, after ${plan.reads} ${plan.reads === 1 ? 'read' : 'reads'}` : ''}. Nothing was sent.
          </p>
          <ol className={styles.planList} data-testid="dry-run-plan">
            {plan.changes.map((c, i) => <li key={i}>{c}</li>)}
          </ol>
        </>
      )}
    </div>
  )
}
