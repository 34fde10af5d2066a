// A small library to search: pages (one garbled by OCR, one that left its notebook), todos open,
// done and removed, highlights, in two notebooks — and another user's text that must never show.
import type { Db } from '../../server/db.ts'

export interface SearchFixture {
  userId: number
  otherUserId: number
  notebooks: { work: number; reading: number; other: number }
  pages: Record<'invoices' | 'longNotes' | 'garbled' | 'feedback' | 'apart' | 'prefixes' | 'markup' | 'leftNotebook' | 'other', number>
  todos: Record<'sendInvoice' | 'paidInvoice' | 'removed' | 'callBob' | 'other', number>
  highlights: Record<'loop' | 'removed', number>
}

const FILLER = 'The quarterly planning session covered hiring, the roadmap, office moves and a long discussion about travel budgets for the spring conference season.'

export async function seedSearchFixture(db: Db, userId: number, otherUserId: number): Promise<SearchFixture> {
  const notebook = (uid: number, uuid: string, visibleName: string, type: 'NOTEBOOK' | 'PDF' = 'NOTEBOOK') =>
    db.notebook.create({ data: { userId: uid, uuid, visibleName, type } })
  const work = await notebook(userId, 'nb-work', 'Work')
  const reading = await notebook(userId, 'nb-reading', 'Systems Thinking.pdf', 'PDF')
  const other = await notebook(otherUserId, 'nb-other', 'Zanzibar ledger')

  let pageNumber = 0
  const page = async (nb: { id: number; uuid: string; userId: number }, uuid: string, text: string, inNotebook = true) => {
    const p = await db.page.create({ data: { userId: nb.userId, notebookId: nb.id, notebookUuid: nb.uuid, uuid, ocrText: text, ocrStatus: 'completed' } })
    if (inNotebook) await db.notebookPage.create({ data: { notebookId: nb.id, pageId: p.id, pageNumber: ++pageNumber } })
    return p.id
  }
  const pages = {
    invoices: await page(work, 'p-invoices', '# Invoices for March\n- [ ] Send the invoice to ACME\nThe invoice total is due Friday. Invoice number 42 replaces the old invoice.'),
    longNotes: await page(work, 'p-long', `${FILLER} ${FILLER}\nSomebody mentioned an invoice once.\n${FILLER} ${FILLER}`),
    garbled: await page(work, 'p-garbled', 'Plese pay the invoce from Globex by Monday'),
    feedback: await page(work, 'p-feedback', 'Team retro: the feedback loop between design and support is too slow.'),
    apart: await page(work, 'p-apart', 'We asked for feedback, then went around the loop twice.'),
    prefixes: await page(work, 'p-prefixes', 'Zephyrine project kickoff; zephyrus wind tunnel notes.'),
    markup: await page(work, 'p-markup', 'Escaping test: <script>alert("x")</script> and forged \uE000marks\uE001 around a quokka.'),
    leftNotebook: await page(work, 'p-left', 'Invoice draft that was deleted from the notebook.', false),
    other: await page(other, 'p-other', 'Zanzibar invoice ledger, private to someone else. Invoice invoice invoice.'),
  }

  let sig = 0
  const todo = async (nb: { id: number; uuid: string; userId: number }, pageId: number | null, text: string, extra: { completed?: boolean; removedAt?: Date; createdAt?: Date } = {}) =>
    (await db.todo.create({ data: { userId: nb.userId, notebookId: nb.id, notebookUuid: nb.uuid, pageId, pageNumber: 1, text, contentHash: `c${++sig}`, fuzzySignature: `s${sig}`, confusionKey: `k${sig}`, ...extra } })).id
  const day = (n: number) => new Date(Date.UTC(2026, 10, n))
  const todos = {
    sendInvoice: await todo(work, pages.invoices, 'Send the invoice to ACME', { createdAt: day(3) }),
    paidInvoice: await todo(work, pages.invoices, 'Pay invoice 41', { completed: true, createdAt: day(4) }),
    removed: await todo(work, pages.invoices, 'Invoice the removed client', { removedAt: day(5), createdAt: day(5) }),
    callBob: await todo(reading, null, 'Call Bob about the feedback loop', { createdAt: day(6) }),
    other: await todo(other, pages.other, 'Zanzibar invoice follow-up', { createdAt: day(7) }),
  }

  const highlight = async (nb: { id: number; uuid: string; userId: number }, text: string, hash: string, removedAt?: Date) =>
    (await db.highlight.create({ data: { userId: nb.userId, notebookId: nb.id, notebookUuid: nb.uuid, originalText: text, originalTextHash: hash, sourceFile: `${nb.uuid}/p1`, pageNumber: 1, color: 'yellow', contentHash: hash, removedAt } })).id
  const highlights = {
    loop: await highlight(reading, 'A short feedback loop makes learning faster.', 'h1'),
    removed: await highlight(reading, 'Removed passage about the feedback loop.', 'h2', day(2)),
  }
  return { userId, otherUserId, notebooks: { work: work.id, reading: reading.id, other: other.id }, pages, todos, highlights }
}
