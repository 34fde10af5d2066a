// Readwise's sync state is live like Notion's: syncProgress(target: READWISE) counts what is pending,
// then what is done, and a highlight's syncRecords carry the READWISE record with its Readwise id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { startReadwiseHarness, type ReadwiseHarness } from './readwiseHarness.ts'

let h: ReadwiseHarness
beforeAll(async () => {
  h = await startReadwiseHarness()
})
afterAll(async () => {
  await h?.close()
})

async function waitUntil(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}

describe('Readwise live status', () => {
  it('syncProgress(target: READWISE) and highlightUpdated follow the sync', async () => {
    const client = createClient({ url: h.app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${h.user.session}` }, retryAttempts: 0 })
    const progress: any[] = []
    const highlights: any[] = []
    const stop = [
      client.subscribe({ query: 'subscription { syncProgress(target: READWISE) { target synced pending failed total } }' }, { next: (v) => void progress.push(v.data?.syncProgress), error: () => {}, complete: () => {} }),
      client.subscribe({ query: 'subscription { highlightUpdated { text syncRecords { target status externalId } } }' }, { next: (v) => void highlights.push(v.data?.highlightUpdated), error: () => {}, complete: () => {} }),
    ]
    try {
      await waitUntil(() => progress.length > 0)
      expect(progress[0]).toEqual({ target: 'READWISE', synced: 0, pending: 0, failed: 0, total: 0 })
      const nb = await h.setNotebook('nb-live', ['a'], 'Live')
      await h.setTexts('nb-live', { a: 'Page text' })
      await h.addHighlights('nb-live', 'a', ['a live passage'])
      // The highlight and the notebook (its book); page text and todos are not Readwise's.
      await waitUntil(() => progress.at(-1)?.pending === 2)
      expect(progress.at(-1)).toEqual({ target: 'READWISE', synced: 0, pending: 2, failed: 0, total: 2 })
      await h.syncReadwise(nb)
      await waitUntil(() => progress.at(-1)?.synced === 2)
      expect(progress.at(-1)).toEqual({ target: 'READWISE', synced: 2, pending: 0, failed: 0, total: 2 })
      const id = String(h.readwise.library(h.readwiseToken)[0].highlights[0].id)
      await waitUntil(() => highlights.some((x) => x?.syncRecords.some((r: any) => r.target === 'READWISE' && r.status === 'success')))
      // (A paused or other target's record may stand beside it: only Readwise's is asserted.)
      const last = highlights.at(-1)
      expect(last.text).toBe('a live passage')
      expect(last.syncRecords.filter((r: any) => r.target === 'READWISE')).toEqual([{ target: 'READWISE', status: 'success', externalId: id }])
    } finally {
      for (const s of stop) s()
      await client.dispose()
    }
  })
})
