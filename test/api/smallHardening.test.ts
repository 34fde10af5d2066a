// The smaller holes: CORS only for configured origins; passwords of spaces or control characters
// refused; signUp's "taken" answer rate-limited per real address (a forged X-Forwarded-For hop buys
// no fresh budget); a NUL in a name or an extreme date is the caller's mistake, not an internal error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser } from '../helpers/users.ts'

let app: TestApp
let withCors: TestApp
let agentToken: string
beforeAll(async () => {
  app = await startTestApp({ env: { TRUST_PROXY: 'true' } })
  withCors = await startTestApp({ env: { CORS_ORIGINS: 'https://app.example' } })
  agentToken = (await createTestUser(app.database.db, 'agent-owner@example.com', ['agent'])).apiToken
})
afterAll(async () => {
  await app?.close()
  await withCors?.close()
})

async function post(target: TestApp, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${target.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
  return { res, json: (await res.json()) as any }
}

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on Error { code message } } }`

describe('CORS', () => {
  it('never reflects an unknown origin; answers a configured one', async () => {
    for (const target of [app, withCors]) {
      const preflight = await fetch(`${target.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } })
      expect(preflight.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
      expect(preflight.headers.get('access-control-allow-origin')).not.toBe('*')
      const { res } = await post(target, '{ __typename }', {}, { origin: 'https://evil.example' })
      expect(res.headers.get('access-control-allow-origin') ?? 'none').not.toMatch(/evil|\*/)
    }
    const ok = await fetch(`${withCors.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
  })
})

describe('passwords', () => {
  it('refuses ten spaces and control characters', async () => {
    for (const password of [' '.repeat(12), 'abcdefghij\u0000k', 'abc\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000', 'line\nbreak-password']) {
      const { json } = await post(app, SIGN_UP, { input: { email: `pw${Math.random()}@example.com`, password } }, { 'x-forwarded-for': '192.0.2.50' })
      expect(json.data.signUp, JSON.stringify(password)).toMatchObject({ __typename: 'ValidationError' })
    }
  })
})

describe('signUp with a taken email', () => {
  it('is rate-limited per real address, so accounts cannot be listed; a forged first hop does not help', async () => {
    const answers: string[] = []
    for (let i = 0; i < 25; i++) {
      const { json } = await post(app, SIGN_UP, { input: { email: 'agent-owner@example.com', password: 'a fine password' } }, { 'x-forwarded-for': `10.0.0.${i}, 192.0.2.60` })
      answers.push(json.data.signUp.__typename)
    }
    expect(answers.at(-1)).toBe('RateLimitedError')
  })
})

describe('agent metadata', () => {
  const SYNC = `mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename ... on Error { code message } ... on ValidationError { field } } }`
  const entry = (over: Record<string, unknown>) => ({ uuid: 'nb-1', visibleName: 'Fine', type: 'NOTEBOOK', parentUuid: null, pageUuids: [], tags: [], lastModified: null, lastOpened: null, lastOpenedPage: null, pinned: false, deleted: false, ...over })
  it('refuses a NUL in a name, an extreme date or a negative page as invalid input, naming the entry', async () => {
    for (const [over, field] of [
      [{ visibleName: 'bad\u0000name' }, 'notebooks.0.visibleName'],
      [{ tags: ['t\u0000'] }, 'notebooks.0.visibleName'],
      [{ lastModified: '+200000-01-01T00:00:00.000Z' }, 'notebooks.0.lastModified'],
      [{ lastOpenedPage: -1 }, 'notebooks.0.lastOpenedPage'],
    ] as const) {
      const { json } = await post(app, SYNC, { input: { notebooks: [entry(over)] } }, { authorization: `Bearer ${agentToken}` })
      expect(json.errors, JSON.stringify(json)).toBeUndefined()
      expect(json.data.syncNotebookMetadata, JSON.stringify(over)).toMatchObject({ __typename: 'ValidationError', field })
    }
  })
})
