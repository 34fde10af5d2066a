// Wrong passwords slow down whoever types them, from where they type them: an attacker guessing an
// email from one address cannot lock its owner out elsewhere, and each further wrong password from
// that address waits twice as long.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { FREE_LOGIN_FAILURES } from '../../server/auth/loginThrottle.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ env: { TRUST_PROXY: 'true' } })
  const res = await logIn('198.51.100.1', 'owner@example.com', 'the owner’s password', 'signUp')
  expect(res.__typename).toBe('AuthPayload')
})
afterAll(async () => {
  await app?.close()
})

async function logIn(address: string, email: string, password: string, mutation = 'logIn') {
  const query = `mutation($input: ${mutation === 'signUp' ? 'SignUpInput' : 'LogInInput'}!) { ${mutation}(input: $input) { __typename ... on Error { code } ... on RateLimitedError { retryAfterSeconds } } }`
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query, variables: { input: { email, password } } }),
  })
  const json = (await res.json()) as any
  return json.data[mutation] as { __typename: string; code?: string; retryAfterSeconds?: number }
}

describe('sign-in throttling', () => {
  it('an attacker’s wrong passwords hold the attacker’s address, not the owner elsewhere', async () => {
    const attacker = '203.0.113.66'
    const answers = []
    for (let i = 0; i < 12; i++) answers.push((await logIn(attacker, 'owner@example.com', `guess ${i}`)).__typename)
    expect(answers.slice(0, FREE_LOGIN_FAILURES)).toEqual(Array(FREE_LOGIN_FAILURES).fill('NotAuthenticatedError'))
    expect(answers.at(-1)).toBe('RateLimitedError')
    // Even the right password waits from the attacker's address…
    expect((await logIn(attacker, 'owner@example.com', 'the owner’s password')).__typename).toBe('RateLimitedError')
    // …while the owner, elsewhere, signs in.
    expect((await logIn('198.51.100.1', 'owner@example.com', 'the owner’s password')).__typename).toBe('AuthPayload')
    // And the attacker's address may still try other emails.
    expect((await logIn(attacker, 'someone-else@example.com', 'a guess')).__typename).toBe('NotAuthenticatedError')
  })

  it('doubles the wait with each further wrong password', async () => {
    const address = '203.0.113.77'
    const key = `login:fail:${address}:owner@example.com`
    for (let i = 0; i < FREE_LOGIN_FAILURES; i++) await logIn(address, 'owner@example.com', `guess ${i}`)
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const refused = await logIn(address, 'owner@example.com', 'another guess')
      expect(refused.__typename).toBe('RateLimitedError')
      waits.push(refused.retryAfterSeconds!)
      // The wait passes (moved into the past, not waited out), and the next guess is wrong again.
      await app.database.query(`update rate_limit_buckets set blocked_until = now() - interval '1 second' where key = $1`, [key])
      expect((await logIn(address, 'owner@example.com', 'yet another guess')).__typename).toBe('NotAuthenticatedError')
    }
    expect(waits).toEqual([1, 2, 4, 8])
  })
})
