// A catch-up publishes its progress: done / total, live over graphql-ws.
import { waitUntil } from '../helpers/waitUntil.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { startSyncHarness, type SyncHarness } from './syncHarness.ts'

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('sync progress', () => {
  it('counts what is pending, then what is done, as the sync goes', async () => {
    const client = createClient({ url: h.app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${h.user.session}` }, retryAttempts: 0 })
    const seen: any[] = []
    const done = client.subscribe({ query: 'subscription { syncProgress(target: NOTION) { synced pending failed total } }' }, { next: (v) => void seen.push(v.data?.syncProgress), error: () => {}, complete: () => {} })
    try {
      await waitUntil(() => seen.length > 0)
      expect(seen[0]).toEqual({ synced: 0, pending: 0, failed: 0, total: 0 })
      const nb = await h.setNotebook('nb-progress', ['a', 'b'], 'Progress')
      await h.setTexts('nb-progress', { a: 'One\n- [ ] Task', b: 'Two' })
      // The notebook, its two pages and its todo.
      const total = 4
      await waitUntil(() => seen.at(-1)?.pending === total)
      expect(seen.at(-1)).toEqual({ synced: 0, pending: total, failed: 0, total })
      await h.sync(nb)
      await waitUntil(() => seen.at(-1)?.synced === total)
      expect(seen.at(-1)).toEqual({ synced: total, pending: 0, failed: 0, total })
    } finally {
      done()
      await client.dispose()
    }
  })
})
