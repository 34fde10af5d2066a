// A wrongly typed secret (a password as a number, a Notion token as a list) is the caller's mistake:
// BAD_USER_INPUT, never INTERNAL_SERVER_ERROR, and the value appears neither in the answer nor in the
// logs — known by its input field (marked secret), whatever the message calls it.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { makeLogger } from '../../server/logger.ts'
import { createSession } from '../../server/auth/sessions.ts'

let app: TestApp
let session: string
const logLines: string[] = []

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) })
  app = await startTestApp({ logger: makeLogger({ logLevel: 'trace', logFormat: 'json' }, {}, sink) })
  const user = await app.database.db.user.create({ data: { email: 'secret-inputs@example.com', passwordHash: 'x' } })
  session = await createSession(app.database.db, user.id)
})
afterAll(async () => {
  await app?.close()
})

async function post(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` }, body: JSON.stringify({ query, variables }) })
  return res.text()
}

const cases: [string, string, Record<string, unknown>, string][] = [
  ['a password as a number (variable)', 'mutation($input: LogInInput!) { logIn(input: $input) { __typename } }', { input: { email: 'a@example.com', password: 12345678901 } }, '12345678901'],
  ['a password as a number (signUp, variable)', 'mutation($input: SignUpInput!) { signUp(input: $input) { __typename } }', { input: { email: 'a@example.com', password: 98765432109 } }, '98765432109'],
  ['a password as a number (literal)', 'mutation { logIn(input: { email: "a@example.com", password: 55566677788 }) { __typename } }', {}, '55566677788'],
  ['a Notion token as a list (variable)', 'mutation($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { __typename } }', { input: { target: 'NOTION', notion: { token: ['ntn_very-secret-1'], databaseId: 'd' } } }, 'ntn_very-secret-1'],
  ['a whole input with an unknown field beside the password', 'mutation($input: LogInInput!) { logIn(input: $input) { __typename } }', { input: { email: 'a@example.com', password: 'the-real-password-2', extra: 1 } }, 'the-real-password-2'],
  ['a Notion token as a number (literal)', 'mutation { connectIntegration(input: { target: NOTION, notion: { token: 4242424242, databaseId: "d" } }) { __typename } }', {}, '4242424242'],
]

describe('secrets in wrongly typed input', () => {
  for (const [name, query, variables, secret] of cases) {
    it(`${name}: BAD_USER_INPUT, the value in neither answer nor log`, async () => {
      const before = logLines.length
      const text = await post(query, variables)
      const json = JSON.parse(text)
      expect(json.errors?.[0]?.extensions?.code, text).toBe('BAD_USER_INPUT')
      expect(text).not.toContain(secret)
      expect(logLines.slice(before).join('\n')).not.toContain(secret)
    })
  }

  it('still says which value was wrong for inputs without secrets', async () => {
    const text = await post('query($n: Int) { viewer { notebooks(first: $n) { totalCount } } }', { n: 'many' })
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_USER_INPUT')
    expect(text).toContain('many')
  })
})
