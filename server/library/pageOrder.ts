// A notebook's page order from the agent: stubs for pages not uploaded yet, page numbers 1..n among
// the listed pages, pages no longer listed leave the order. Numbers are assigned in one statement
// (the uniqueness is deferred, so any permutation is fine).
import type { DbTx } from '../db.ts'

export interface PageOrderResult {
  /** Pages added, renumbered or removed from the order. */
  touchedPageIds: number[]
}

export async function applyPageOrder(tx: DbTx, userId: number, notebookId: number, notebookUuid: string, pageUuids: readonly string[]): Promise<PageOrderResult> {
  const existing = await tx.page.findMany({ where: { notebookId }, select: { id: true, uuid: true, notebookPage: { select: { pageNumber: true } } } })
  const known = new Set(existing.map((p) => p.uuid))
  const missing = pageUuids.filter((u) => !known.has(u))
  const created = missing.length
    ? await tx.page.createManyAndReturn({ data: missing.map((uuid) => ({ userId, notebookId, notebookUuid, uuid })), select: { id: true, uuid: true } })
    : []
  const idOf = new Map([...existing, ...created].map((p) => [p.uuid, p.id]))
  const currentNumber = new Map(existing.map((p) => [p.id, p.notebookPage?.pageNumber ?? null]))

  const ids = pageUuids.map((u) => idOf.get(u)!)
  const numbers = ids.map((_, i) => i + 1)
  const touched = ids.filter((id, i) => currentNumber.get(id) !== numbers[i])
  const leaving = existing.filter((p) => p.notebookPage && !pageUuids.includes(p.uuid)).map((p) => p.id)

  if (leaving.length) await tx.$executeRaw`delete from notebook_pages where notebook_id = ${notebookId} and page_id = any(${leaving}::int[])`
  if (touched.length) {
    const touchedNumbers = touched.map((id) => numbers[ids.indexOf(id)])
    await tx.$executeRaw`
      insert into notebook_pages (notebook_id, page_id, page_number)
      select ${notebookId}, t.page_id, t.page_number from unnest(${touched}::int[], ${touchedNumbers}::int[]) as t(page_id, page_number)
      on conflict (page_id) do update set notebook_id = excluded.notebook_id, page_number = excluded.page_number`
  }
  return { touchedPageIds: [...touched, ...leaving] }
}
