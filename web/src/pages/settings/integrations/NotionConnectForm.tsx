// Connecting Notion for someone who has never made an integration: the steps in words, the token (a
// password field, sent only in mutation bodies), the database picked from what the token sees (or
// made under a page), a Test connection that says what failed, then Save.
import { useId, useState } from 'react'
import { useMutation } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { describeRequestError, readTypedError } from '../../../lib/errors.ts'
import { NotionTestResult, type TestResult } from './NotionTestResult.tsx'
import styles from './Integrations.module.css'

const FindDatabases = graphql(`
  mutation FindNotionDatabases($input: FindNotionDatabasesInput!) {
    findNotionDatabases(input: $input) {
      __typename
      ... on FindNotionDatabasesPayload { databases { id title url dataSources { id name missingProperties } } }
      ... on Error { code message }
    }
  }
`)

const CreateDatabase = graphql(`
  mutation CreateNotionDatabase($input: CreateNotionDatabaseInput!) {
    createNotionDatabase(input: $input) {
      __typename
      ... on NotionDatabase { id title url dataSources { id name missingProperties } }
      ... on Error { code message }
    }
  }
`)

const TestConnection = graphql(`
  mutation TestNotionConnectionForm($input: TestNotionConnectionInput!) {
    testNotionConnection(input: $input) {
      __typename
      ... on IntegrationTestResult { ok ...NotionTestResult_Result }
      ... on Error { code message }
    }
  }
`)

const Connect = graphql(`
  mutation ConnectNotionForm($input: ConnectIntegrationInput!) {
    connectIntegration(input: $input) {
      __typename
      ... on Integration { id target enabled }
      ... on Error { code message }
    }
  }
`)

interface Database {
  id: string
  title: string
  url?: string | null
  dataSources: { id: string; name: string; missingProperties: string[] }[]
}

const MANUAL = '__manual__'

export function NotionConnectForm({ onConnected }: { onConnected: () => void }) {
  const ids = { token: useId(), manual: useId(), parent: useId(), source: useId() }
  const [token, setToken] = useState('')
  const [databases, setDatabases] = useState<Database[] | null>(null)
  const [picked, setPicked] = useState<string>('')
  const [manualId, setManualId] = useState('')
  const [dataSourceId, setDataSourceId] = useState('')
  const [parentPage, setParentPage] = useState('')
  const [message, setMessage] = useState<{ where: 'token' | 'create' | 'save'; text: string } | null>(null)
  const [testResult, setTestResult] = useState<TestResult | null>(null)
  const [found, find] = useMutation(FindDatabases)
  const [created, create] = useMutation(CreateDatabase)
  const [tested, test] = useMutation(TestConnection)
  const [saved, save] = useMutation(Connect)

  const database = databases?.find((d) => d.id === picked) ?? null
  const databaseId = picked === MANUAL ? manualId.trim() : picked
  const needsSource = !!database && database.dataSources.length > 1
  const ready = token.trim() !== '' && databaseId !== '' && (!needsSource || dataSourceId !== '')
  const connection = { token: token.trim(), databaseId, dataSourceId: needsSource ? dataSourceId : null }

  function changeToken(value: string) {
    setToken(value)
    setDatabases(null)
    setTestResult(null)
    setMessage(null)
  }

  async function findDatabases() {
    setMessage(null)
    setTestResult(null)
    const r = await find({ input: { token: token.trim() } })
    const result = r.data?.findNotionDatabases
    if (result?.__typename === 'FindNotionDatabasesPayload') {
      setDatabases(result.databases)
      setPicked(result.databases.length === 1 ? result.databases[0].id : result.databases.length === 0 ? MANUAL : '')
      return
    }
    setMessage({ where: 'token', text: readTypedError(result)?.message ?? describeRequestError(r.error) ?? 'Notion did not answer.' })
  }

  async function createDatabase() {
    setMessage(null)
    const r = await create({ input: { token: token.trim(), parentPageId: parentPage.trim() } })
    const result = r.data?.createNotionDatabase
    if (result?.__typename === 'NotionDatabase') {
      setDatabases((list) => [result, ...(list ?? [])])
      setPicked(result.id)
      setTestResult(null)
      return
    }
    setMessage({ where: 'create', text: readTypedError(result)?.message ?? describeRequestError(r.error) ?? 'Notion did not answer.' })
  }

  async function testConnection() {
    setMessage(null)
    const r = await test({ input: connection })
    const result = r.data?.testNotionConnection
    if (result?.__typename === 'IntegrationTestResult') setTestResult(result)
    else setMessage({ where: 'save', text: readTypedError(result)?.message ?? describeRequestError(r.error) ?? 'The check did not run.' })
  }

  async function connect() {
    setMessage(null)
    const r = await save({ input: { target: 'NOTION', notion: connection } })
    const result = r.data?.connectIntegration
    if (result?.__typename === 'Integration') return onConnected()
    setMessage({ where: 'save', text: readTypedError(result)?.message ?? describeRequestError(r.error) ?? 'Could not connect.' })
  }

  return (
    <form className={styles.steps} onSubmit={(e) => e.preventDefault()} data-testid="notion-connect">
      <ol className={styles.stepList}>
        <li className={styles.step}>
          <h3>Make an integration in Notion</h3>
          <p className={styles.lede}>
            Open <a href="https://www.notion.so/profile/integrations" target="_blank" rel="noreferrer">notion.so/profile/integrations</a>, choose <b>New integration</b>,
            type <b>Internal</b>, pick your workspace. Under <b>Capabilities</b> tick <b>Read content</b>, <b>Update content</b> and <b>Insert content</b>, then save.
          </p>
        </li>
        <li className={styles.step}>
          <h3>Paste its secret</h3>
          <div className="field">
            <label className="field-label" htmlFor={ids.token}>Internal Integration Secret</label>
            <div className={styles.inline}>
              <input id={ids.token} className="input" type="password" autoComplete="off" spellCheck={false} placeholder="ntn_…" value={token} onChange={(e) => changeToken(e.target.value)} aria-invalid={message?.where === 'token'} />
              <button type="button" className="btn" disabled={!token.trim() || found.fetching} onClick={findDatabases}>{found.fetching ? 'Looking…' : 'Find databases'}</button>
            </div>
            <span className="field-hint">Shown once in Notion under the integration’s <b>Configuration</b>. It is stored encrypted and never shown again — only its last 4 characters.</span>
            {message?.where === 'token' && <p className="field-error" role="alert" data-testid="notion-token-error">{message.text}</p>}
          </div>
        </li>
        <li className={styles.step}>
          <h3>Share a database with it</h3>
          <p className={styles.lede}>
            In Notion, open the database (or a page above it), choose <b>•••</b> → <b>Connections</b> and add your integration. Then pick it here — or let us make one inside a shared page.
          </p>
          {databases && (
            <fieldset className={styles.databases} data-testid="notion-databases">
              <legend className="field-label">Database</legend>
              {databases.length === 0 && <p className="muted small">This integration sees no database yet. Share one in Notion and choose Find databases again, or make one below.</p>}
              {databases.map((d) => (
                <label key={d.id} className={styles.choice}>
                  <input type="radio" name="notion-database" value={d.id} checked={picked === d.id} onChange={() => (setPicked(d.id), setDataSourceId(''), setTestResult(null))} />
                  <span>
                    <span className={styles.choiceLabel}>{d.title || 'Untitled database'}</span>
                    <span className={styles.choiceHint}>
                      {d.dataSources.length > 1 ? `${d.dataSources.length} data sources` : d.dataSources[0]?.missingProperties.length ? `Lacks ${d.dataSources[0].missingProperties.join(', ')}` : 'Has every property the sync fills'}
                    </span>
                  </span>
                </label>
              ))}
              <label className={styles.choice}>
                <input type="radio" name="notion-database" value={MANUAL} checked={picked === MANUAL} onChange={() => (setPicked(MANUAL), setTestResult(null))} />
                <span className={styles.choiceLabel}>Another database (paste its link)</span>
              </label>
              {picked === MANUAL && (
                <div className="field">
                  <label className="field-label" htmlFor={ids.manual}>Database link or id</label>
                  <input id={ids.manual} className="input" value={manualId} onChange={(e) => (setManualId(e.target.value), setTestResult(null))} placeholder="https://www.notion.so/…" />
                </div>
              )}
              {needsSource && (
                <div className="field">
                  <label className="field-label" htmlFor={ids.source}>Data source</label>
                  <select id={ids.source} className="input" value={dataSourceId} onChange={(e) => (setDataSourceId(e.target.value), setTestResult(null))}>
                    <option value="">Choose which one to sync into…</option>
                    {database!.dataSources.map((s) => <option key={s.id} value={s.id}>{s.name || 'Untitled'}{s.missingProperties.length ? ` (lacks ${s.missingProperties.length} properties)` : ''}</option>)}
                  </select>
                </div>
              )}
            </fieldset>
          )}
          {databases && (
            <details className={styles.createDb}>
              <summary>Make a new database for me</summary>
              <div className="field">
                <label className="field-label" htmlFor={ids.parent}>A page shared with the integration (link or id)</label>
                <div className={styles.inline}>
                  <input id={ids.parent} className="input" value={parentPage} onChange={(e) => setParentPage(e.target.value)} placeholder="https://www.notion.so/My-page-…" />
                  <button type="button" className="btn" disabled={!parentPage.trim() || created.fetching} onClick={createDatabase}>{created.fetching ? 'Making…' : 'Make database'}</button>
                </div>
                <span className="field-hint">It gets every property the sync fills (Name, UUID, Tags, Folder, Pages, Last Modified…).</span>
                {message?.where === 'create' && <p className="field-error" role="alert">{message.text}</p>}
              </div>
            </details>
          )}
        </li>
        <li className={styles.step}>
          <h3>Test, then save</h3>
          <div className={styles.actions}>
            <button type="button" className="btn" disabled={!ready || tested.fetching} onClick={testConnection}>{tested.fetching ? 'Testing…' : 'Test connection'}</button>
            <button type="submit" className="btn btn-primary" disabled={!ready || saved.fetching || (testResult !== null && !testResult.ok)} onClick={connect}>{saved.fetching ? 'Saving…' : 'Save and start syncing'}</button>
          </div>
          {testResult && <NotionTestResult result={testResult} />}
          {message?.where === 'save' && <p className="notice notice-error" role="alert">{message.text}</p>}
        </li>
      </ol>
    </form>
  )
}
