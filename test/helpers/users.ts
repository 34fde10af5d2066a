// Users and their tokens, made directly in the database (signing up through GraphQL is tested elsewhere).
import type { Db } from '../../server/db.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken, makeToken } from '../../server/auth/tokens.ts'

export interface TestUser {
  id: number
  email: string
  /** A dashboard session token (every scope). */
  session: string
  /** An API token with the given scopes (agent by default). */
  apiToken: string
}

export async function createTestUser(db: Db, email: string, scopes: ('agent' | 'read' | 'write')[] = ['agent']): Promise<TestUser> {
  const user = await db.user.create({ data: { email, passwordHash: 'not-used' } })
  const session = await createSession(db, user.id)
  const apiToken = makeToken('api_token')
  await db.apiToken.create({ data: { userId: user.id, name: 'test', scopes, tokenHash: hashToken(apiToken), prefix: apiToken.slice(0, 8) } })
  return { id: user.id, email, session, apiToken }
}
