// The notebook list's per-row figures: todo counts and one sync summary per connected target — live,
// so a subscription reads them as they are at each event.
import { waitUntil } from '../helpers/waitUntil.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { graphql } from '../gql/index.ts'
import { startSyncHarness, type SyncHarness } from '../sync/syncHarness.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'

const NotebookRow = graphql(`
  query NotebookSummaryRow($id: ID!) {
    node(id: $id) {
      ... on Notebook { todoCounts { open done } syncSummary { target synced pending failed lastSyncedAt } }
    }
  }
`)

let h: SyncHarness
beforeAll(async () => {
  h = await startSyncHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('notebook summary', () => {
  it('counts open and done todos, and the items pending, synced and failed at Notion', async () => {
    const nb = await h.setNotebook('nb-sum', ['a', 'b'], 'Summary')
    await h.setTexts('nb-sum', { a: 'One\n- [ ] Call Ada\n- [x] Book room', b: 'Two\n- [ ] Send notes' })
    const id = encodeGlobalID('Notebook', nb)
    const before = await h.app.gql(NotebookRow, { id }, h.user.session)
    // The notebook, two pages, three todos.
    expect(before.data?.node).toEqual({ todoCounts: { open: 2, done: 1 }, syncSummary: [{ target: 'NOTION', synced: 0, pending: 6, failed: 0, lastSyncedAt: null }] })

    h.notion.faults.failNext(50, { status: 400, code: 'validation_error', message: 'refused', match: (r) => r.bodyText.includes('Two') })
    await h.sync(nb)
    h.notion.faults.clear()
    const after = (await h.app.gql(NotebookRow, { id }, h.user.session)).data?.node as any
    // Page b and the todo on it fail together (the todo is a block of its page's section).
    expect(after.syncSummary).toEqual([{ target: 'NOTION', synced: 4, pending: 0, failed: 2, lastSyncedAt: expect.any(String) }])
  })

  it('leaves out targets that are no longer connected', async () => {
    const nb = await h.setNotebook('nb-gone', ['a'], 'Gone')
    await h.setTexts('nb-gone', { a: 'Text' })
    await h.app.database.db.integrationConfig.update({ where: { id: h.integrationId }, data: { targetName: 'notion-old' } })
    try {
      const r = await h.app.gql(NotebookRow, { id: encodeGlobalID('Notebook', nb) }, h.user.session)
      expect((r.data?.node as any).syncSummary).toEqual([])
    } finally {
      await h.app.database.db.integrationConfig.update({ where: { id: h.integrationId }, data: { targetName: 'notion' } })
    }
  })

  it('notebookUpdated carries the summary as it is at each event', async () => {
    const nb = await h.setNotebook('nb-live', ['a'], 'Live')
    const client = createClient({ url: h.app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${h.user.session}` }, retryAttempts: 0 })
    const seen: any[] = []
    const dispose = client.subscribe(
      { query: 'subscription($id: ID) { notebookUpdated(notebookId: $id) { visibleName todoCounts { open done } syncSummary { synced pending } } }', variables: { id: encodeGlobalID('Notebook', nb) } },
      { next: (v) => void seen.push({ notebook: v.data?.notebookUpdated }), error: () => {}, complete: () => {} },
    )
    try {
      await new Promise((r) => setTimeout(r, 200))
      await h.setTexts('nb-live', { a: 'Live\n- [ ] First' })
      await waitUntil(() => seen.at(-1)?.notebook.todoCounts.open === 1 && seen.at(-1)?.notebook.syncSummary[0].pending === 3)
      expect(seen.at(-1).notebook).toEqual({ visibleName: 'Live', todoCounts: { open: 1, done: 0 }, syncSummary: [{ synced: 0, pending: 3 }] })
      await h.sync(nb)
      await waitUntil(() => seen.at(-1)?.notebook.syncSummary[0].synced === 3)
      expect(seen.at(-1).notebook.syncSummary).toEqual([{ synced: 3, pending: 0 }])
      await h.setTexts('nb-live', { a: 'Live\n- [x] First' })
      await waitUntil(() => seen.at(-1)?.notebook.todoCounts.done === 1)
      expect(seen.at(-1).notebook.todoCounts).toEqual({ open: 0, done: 1 })
    } finally {
      dispose()
      await client.dispose()
    }
  })
})
