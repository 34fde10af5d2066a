// What Test connection found, as a checklist in words: the token, the database, its properties.
import { getFragmentData, graphql, type FragmentType } from '../../../gql/index.ts'
import styles from './Integrations.module.css'

export const NotionTestResultFragment = graphql(`
  fragment NotionTestResult_Result on IntegrationTestResult {
    ok tokenAccepted databaseReachable databaseTitle checkedAt
    properties { name expectedType foundType matches }
    problem { code message }
  }
`)

export type TestResult = FragmentType<typeof NotionTestResultFragment> & { ok: boolean }

type Check = { ok: boolean | null; words: string }

export function NotionTestResult(props: { result: FragmentType<typeof NotionTestResultFragment> }) {
  const r = getFragmentData(NotionTestResultFragment, props.result)
  const missing = r.properties.filter((p) => !p.matches)
  const checks: Check[] = [
    { ok: r.tokenAccepted ?? null, words: r.tokenAccepted ? 'Notion accepts the token' : r.tokenAccepted === false ? 'Notion rejects the token' : 'Token not checked' },
    {
      ok: r.databaseReachable ?? null,
      words: r.databaseReachable ? `The database “${r.databaseTitle ?? 'Untitled'}” is shared with the integration` : r.databaseReachable === false ? 'The database is not shared with the integration' : 'Database not checked',
    },
  ]
  if (r.ok) {
    checks.push({
      ok: missing.length === 0,
      words: missing.length === 0 ? 'It has every property the sync fills' : `It lacks ${missing.map((p) => `“${p.name}” (${p.expectedType.replace('_', ' ')})`).join(', ')}: add them in Notion to fill them, or save anyway — the sync fills only what is there`,
    })
  }
  return (
    <div className={`${styles.testResult} ${r.ok ? 'notice notice-success' : 'notice notice-error'}`} role="status" data-testid="notion-test-result" data-ok={r.ok}>
      <p className={styles.testHead}>{r.ok ? 'Connection works.' : 'The connection does not work yet.'}</p>
      <ul className={styles.checks}>
        {checks.map((c, i) => (
          <li key={i} data-ok={c.ok === null ? 'unknown' : String(c.ok)}>
            <span aria-hidden="true">{c.ok === null ? '–' : c.ok ? '✓' : '✕'}</span> {c.words}
          </li>
        ))}
      </ul>
      {r.problem && <p className={styles.problem}>{r.problem.message}</p>}
    </div>
  )
}
