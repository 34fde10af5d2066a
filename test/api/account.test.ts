import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { token viewer { id email } }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }
`)
const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload { token viewer { email } }
      ... on Error { code message }
      ... on RateLimitedError { retryAfterSeconds }
    }
  }
`)
const LogOut = graphql(`mutation LogOut { logOut { __typename ... on Error { code } } }`)
const WhoAmI = graphql(`query WhoAmI { viewer { id email } }`)
const Me = graphql(`query Me { viewer { id email apiTokens { id name prefix scopes revokedAt } } }`)
const CreateToken = graphql(`
  mutation CreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name prefix scopes } }
      ... on Error { code message }
    }
  }
`)
const RevokeToken = graphql(`
  mutation RevokeToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) { __typename ... on ApiToken { id revokedAt } ... on Error { code } }
  }
`)
const MyNotebooks = graphql(`query MyNotebooks { viewer { notebooks(first: 5) { totalCount } } }`)
const LogInWithLibrary = graphql(`
  mutation LogInWithLibrary($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload {
        token
        viewer {
          email folders { visibleName } apiTokens { name } todos { totalCount } integrations { target }
          notebooks(first: 5) { totalCount edges { node { visibleName pages(first: 5) { edges { node { uuid syncRecords { target status } } } } } } }
        }
      }
      ... on Error { code message }
    }
  }
`)
const SignUpWithLibrary = graphql(`
  mutation SignUpWithLibrary($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload { viewer { email notebooks { totalCount } folders { id } apiTokens { id } todos { totalCount } integrations { target } } }
      ... on Error { code message }
    }
  }
`)

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

async function signUp(email: string, password = 'correct horse battery') {
  const r = await app.gql(SignUp, { input: { email, password } })
  if (r.data?.signUp.__typename !== 'AuthPayload') throw new Error(JSON.stringify(r))
  return r.data.signUp.token
}

describe('accounts', () => {
  it('signs up, returns a session token once, and stores only hashes', async () => {
    const r = await app.gql(SignUp, { input: { email: ' Ada@Example.com ', password: 'correct horse battery' } })
    expect(r.data?.signUp).toMatchObject({ __typename: 'AuthPayload', viewer: { email: 'ada@example.com' } })
    const token = (r.data!.signUp as { token: string }).token
    expect(token).toMatch(/^rms_[A-Za-z0-9_-]{43}$/)
    const me = await app.gql(Me, {}, token)
    expect(me.data?.viewer?.email).toBe('ada@example.com')
    const rows = await app.database.query(`select u.password_hash, s.token_hash from users u join sessions s on s.user_id = u.id where u.email = 'ada@example.com'`)
    expect(rows.rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(rows.rows[0].password_hash).not.toContain('correct horse')
    expect(rows.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(rows.rows)).not.toContain(token)
  })

  it('refuses a taken email, a bad email and a short password with typed errors', async () => {
    await signUp('taken@example.com')
    const again = await app.gql(SignUp, { input: { email: 'TAKEN@example.com', password: 'another good password' } })
    expect(again.data?.signUp).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' })
    const bad = await app.gql(SignUp, { input: { email: 'not-an-email', password: 'long enough password' } })
    expect(bad.data?.signUp).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'email' })
    const short = await app.gql(SignUp, { input: { email: 'short@example.com', password: 'short' } })
    expect(short.data?.signUp).toMatchObject({ __typename: 'ValidationError', field: 'password' })
  })

  it('logs in with the right password only, and logs out', async () => {
    await signUp('grace@example.com', 'a long enough secret')
    const wrong = await app.gql(LogIn, { input: { email: 'grace@example.com', password: 'nope nope nope' } })
    expect(wrong.data?.logIn).toMatchObject({ __typename: 'NotAuthenticatedError', message: 'Email or password is wrong' })
    const unknown = await app.gql(LogIn, { input: { email: 'nobody@example.com', password: 'whatever it is' } })
    expect(unknown.data?.logIn).toMatchObject({ __typename: 'NotAuthenticatedError', message: 'Email or password is wrong' })
    const ok = await app.gql(LogIn, { input: { email: 'GRACE@example.com', password: 'a long enough secret' } })
    expect(ok.data?.logIn.__typename).toBe('AuthPayload')
    const token = (ok.data!.logIn as { token: string }).token
    expect((await app.gql(Me, {}, token)).data?.viewer?.email).toBe('grace@example.com')
    expect((await app.gql(LogOut, {}, token)).data?.logOut.__typename).toBe('LogOutPayload')
    expect((await app.gql(Me, {}, token)).data?.viewer).toBeNull()
  })

  it("answers signUp's and logIn's viewer with everything under it, read as the session just made", async () => {
    const fresh = await app.gql(SignUpWithLibrary, { input: { email: 'newcomer@example.com', password: 'correct horse battery' } })
    expect(fresh.errors).toBeUndefined()
    expect(fresh.data?.signUp).toEqual({ __typename: 'AuthPayload', viewer: { email: 'newcomer@example.com', notebooks: { totalCount: 0 }, folders: [], apiTokens: [], todos: { totalCount: 0 }, integrations: [] } })

    // A returning user sees their own library in the logIn answer, sync state included.
    const token = await signUp('returning@example.com')
    const db = app.database.db
    const user = await db.user.findUniqueOrThrow({ where: { email: 'returning@example.com' } })
    const nb = await db.notebook.create({ data: { userId: user.id, uuid: 'nb-returning', visibleName: 'Journal', type: 'NOTEBOOK' } })
    await db.notebook.create({ data: { userId: user.id, uuid: 'folder-returning', visibleName: 'Work', type: 'FOLDER' } })
    const page = await db.page.create({ data: { userId: user.id, notebookId: nb.id, notebookUuid: nb.uuid, uuid: 'page-returning', ocrStatus: 'completed' } })
    await db.notebookPage.create({ data: { notebookId: nb.id, pageId: page.id, pageNumber: 1 } })
    await db.syncRecord.create({ data: { userId: user.id, itemType: 'page_text', itemId: String(page.id), contentHash: 'x', targetName: 'notion', status: 'success', notebookUuid: nb.uuid } })
    await db.integrationConfig.create({ data: { userId: user.id, targetName: 'notion', configEncrypted: 'x' } })
    await app.gql(CreateToken, { input: { name: 'agent', scopes: ['agent'] } }, token)
    const r = await app.gql(LogInWithLibrary, { input: { email: 'returning@example.com', password: 'correct horse battery' } })
    expect(r.errors).toBeUndefined()
    expect(r.data?.logIn).toMatchObject({
      __typename: 'AuthPayload',
      viewer: {
        email: 'returning@example.com',
        folders: [{ visibleName: 'Work' }],
        apiTokens: [{ name: 'agent' }],
        todos: { totalCount: 0 },
        integrations: [{ target: 'NOTION' }],
        notebooks: { totalCount: 1, edges: [{ node: { visibleName: 'Journal', pages: { edges: [{ node: { uuid: 'page-returning', syncRecords: [{ target: 'NOTION', status: 'success' }] } }] } } }] },
      },
    })
  })

  it('rate-limits sign-in attempts per email and address, answering with a typed error and Retry-After', async () => {
    await signUp('target@example.com')
    let limited: Awaited<ReturnType<typeof app.gql<any, any>>> | undefined
    for (let i = 0; i < 12 && !limited; i++) {
      const r = await app.gql(LogIn, { input: { email: 'target@example.com', password: `guess number ${i}` } })
      if (r.data?.logIn.__typename === 'RateLimitedError') limited = r
    }
    expect(limited, 'the 11th attempt within a minute is refused').toBeDefined()
    expect(limited!.data.logIn).toMatchObject({ code: 'RATE_LIMITED' })
    expect(limited!.data.logIn.retryAfterSeconds).toBeGreaterThan(0)
    expect(Number(limited!.headers.get('retry-after'))).toBe(limited!.data.logIn.retryAfterSeconds)
    // Even the right password waits: the limit is on attempts.
    const right = await app.gql(LogIn, { input: { email: 'target@example.com', password: 'correct horse battery' } })
    expect(right.data?.logIn.__typename).toBe('RateLimitedError')
  })
})

describe('API tokens', () => {
  it('are shown once, stored hashed, listed, scoped, and stop working the moment they are revoked', async () => {
    const session = await signUp('tokens@example.com')
    const created = await app.gql(CreateToken, { input: { name: 'MacBook agent', scopes: ['agent'] } }, session)
    expect(created.data?.createApiToken.__typename).toBe('CreateApiTokenPayload')
    const { token, apiToken } = created.data!.createApiToken as { token: string; apiToken: { id: string; prefix: string } }
    expect(token).toMatch(/^rmc_/)
    expect(token.startsWith(apiToken.prefix)).toBe(true)
    const stored = await app.database.query('select token_hash, prefix from api_tokens')
    expect(JSON.stringify(stored.rows)).not.toContain(token)

    const list = await app.gql(Me, {}, session)
    expect(list.data?.viewer?.apiTokens).toEqual([{ id: apiToken.id, name: 'MacBook agent', prefix: apiToken.prefix, scopes: ['agent'], revokedAt: null }])
    expect(JSON.stringify(list.data)).not.toContain(token)

    // An agent-scoped token can identify itself but not read notebooks or the token list, nor make tokens.
    expect((await app.gql(WhoAmI, {}, token)).data?.viewer?.email).toBe('tokens@example.com')
    for (const refused of [await app.gql(Me, {}, token), await app.gql(MyNotebooks, {}, token)]) {
      expect(refused.data?.viewer).toBeNull()
      expect(refused.errors?.[0]).toMatchObject({ message: 'This token lacks the "read" scope', extensions: { code: 'NOT_ALLOWED' } })
    }
    const fromToken = await app.gql(CreateToken, { input: { name: 'x', scopes: ['read'] } }, token)
    expect(fromToken.data?.createApiToken).toMatchObject({ __typename: 'NotAllowedError', code: 'NOT_ALLOWED' })

    const revoked = await app.gql(RevokeToken, { input: { id: apiToken.id } }, session)
    expect(revoked.data?.revokeApiToken.__typename).toBe('ApiToken')
    expect((await app.gql(Me, {}, token)).data?.viewer).toBeNull()
  })

  it('refuses empty names and scopes, and anonymous callers', async () => {
    const session = await signUp('tokens2@example.com')
    const noScopes = await app.gql(CreateToken, { input: { name: 'x', scopes: [] } }, session)
    expect(noScopes.data?.createApiToken).toMatchObject({ __typename: 'ValidationError' })
    const noName = await app.gql(CreateToken, { input: { name: '  ', scopes: ['read'] } }, session)
    expect(noName.data?.createApiToken).toMatchObject({ __typename: 'ValidationError' })
    const anonymous = await app.gql(CreateToken, { input: { name: 'x', scopes: ['read'] } })
    expect(anonymous.data?.createApiToken).toMatchObject({ __typename: 'NotAuthenticatedError', code: 'NOT_AUTHENTICATED' })
  })
})
