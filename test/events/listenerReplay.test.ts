// The server's LISTEN connection lost (PostgreSQL restarted, a backend terminated): NOTIFYs sent while
// it was away reach nobody, so after reconnecting the listener reads again what changed meanwhile and
// publishes it, and a subscriber hears the change by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { quietLogger } from '../helpers/config.ts'
import { startEventHub, type EventHub } from '../../server/events/listener.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { EVENTS_CHANNEL } from '../../server/events/appEvent.ts'
import { createSession } from '../../server/auth/sessions.ts'
import { hashToken } from '../../server/auth/tokens.ts'

let t: TestDatabase
let hub: EventHub
let user: TestUser

beforeAll(async () => {
  t = await createTestDatabase()
  user = await createTestUser(t.db, 'replay@example.com')
  hub = startEventHub(t.url, t.db, quietLogger)
  await hub.ready
})
afterAll(async () => {
  await hub?.stop()
  await t?.drop()
})

describe('event listener after a lost connection', () => {
  it('publishes a change committed while it was disconnected', async () => {
    const { notebooks } = await syncNotebookMetadata(t.db, user.id, [{ uuid: 'nb-replay', visibleName: 'Replay', type: 'NOTEBOOK', pageUuids: ['p1'] }])
    const page = await t.db.page.findFirstOrThrow({ where: { notebookId: notebooks[0].id } })
    const heard: { id: number; ocrText: string | null }[] = []
    // A real session: after the reconnect the listener also checks every open subscription's token.
    const tokenHash = hashToken(await createSession(t.db, user.id))
    const iterator = hub.subscribe(user.id, 'page', { tokenHash, expiresAt: null }, () => true)
    const listening = (async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) heard.push(r.value as any)
    })()

    // The listener's backend goes; the page changes (and is announced) before it is back.
    const terminated = await t.query(`select pg_terminate_backend(pid) as ok from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and (query ilike 'listen %' or query = 'select now() as now')`)
    expect(terminated.rows.map((r) => r.ok)).toEqual([true])
    await t.db.$transaction(async (tx) => {
      await tx.page.update({ where: { id: page.id }, data: { ocrText: 'written while nobody listened' } })
      await tx.$executeRaw`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify([{ kind: 'page', userId: user.id, id: page.id }])})`
    })

    const deadline = Date.now() + 20_000
    while (!heard.some((p) => p.ocrText === 'written while nobody listened') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    await iterator.return?.()
    await listening
    expect(heard.map((p) => [p.id, p.ocrText])).toContainEqual([page.id, 'written while nobody listened'])
  })
})
