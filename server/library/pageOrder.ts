// A notebook's page order from the agent: stubs for pages not uploaded yet, page numbers 1..n among
// the listed pages, pages no longer listed leave the order. Numbers are assigned in one statement
// (the uniqueness is deferred, so any permutation is fine). Everything here is linear in the number
// of pages: a 10,000-page notebook is planned with maps, never by searching lists.
import type { DbTx } from '../db.ts'

export interface PageOrderResult {
  /** Pages added, renumbered or removed from the order. */
  touchedPageIds: number[]
}

export interface OrderedPage {
  id: number
  uuid: string
  /** The page's number in the order today; null when it is not in it. */
  pageNumber: number | null
}

export interface PageOrderPlan {
  /** Pages whose number must be set (new, or moved), with that number. */
  numbered: { id: number; pageNumber: number }[]
  /** Pages in the order today that are no longer listed. */
  leaving: number[]
}

/** What to change so that `pages` are numbered as `pageUuids` lists them; each uuid must have a page. */
export function planPageOrder(pages: readonly OrderedPage[], pageUuids: readonly string[]): PageOrderPlan {
  const byUuid = new Map<string, OrderedPage>()
  for (const page of pages) byUuid.set(page.uuid, page)
  const listed = new Set<number>()
  const numbered: PageOrderPlan['numbered'] = []
  pageUuids.forEach((uuid, index) => {
    const page = byUuid.get(uuid)
    if (!page) throw new Error(`no page for ${uuid}`)
    listed.add(page.id)
    if (page.pageNumber !== index + 1) numbered.push({ id: page.id, pageNumber: index + 1 })
  })
  const leaving = pages.filter((page) => page.pageNumber !== null && !listed.has(page.id)).map((page) => page.id)
  return { numbered, leaving }
}

export async function applyPageOrder(tx: DbTx, userId: number, notebookId: number, notebookUuid: string, pageUuids: readonly string[]): Promise<PageOrderResult> {
  const rows = await tx.page.findMany({ where: { notebookId }, select: { id: true, uuid: true, notebookPage: { select: { pageNumber: true } } } })
  const existing: OrderedPage[] = rows.map((p) => ({ id: p.id, uuid: p.uuid, pageNumber: p.notebookPage?.pageNumber ?? null }))
  const known = new Set(existing.map((p) => p.uuid))
  const missing = pageUuids.filter((u) => !known.has(u))
  // One statement with two array parameters: Prisma's createMany sends four parameters per row, in
  // chunks, which costs seconds of query building for a 10,000-page notebook.
  const created = missing.length
    ? await tx.$queryRaw<{ id: number; uuid: string }[]>`
        insert into pages (user_id, notebook_id, notebook_uuid, uuid)
        select ${userId}, ${notebookId}, ${notebookUuid}, u from unnest(${missing}::text[]) as u
        returning id, uuid`
    : []
  const { numbered, leaving } = planPageOrder([...existing, ...created.map((p) => ({ ...p, pageNumber: null }))], pageUuids)

  if (leaving.length) await tx.$executeRaw`delete from notebook_pages where notebook_id = ${notebookId} and page_id = any(${leaving}::int[])`
  if (numbered.length) {
    const ids = numbered.map((p) => p.id)
    const numbers = numbered.map((p) => p.pageNumber)
    await tx.$executeRaw`
      insert into notebook_pages (notebook_id, page_id, page_number)
      select ${notebookId}, t.page_id, t.page_number from unnest(${ids}::int[], ${numbers}::int[]) as t(page_id, page_number)
      on conflict (page_id) do update set notebook_id = excluded.notebook_id, page_number = excluded.page_number`
  }
  return { touchedPageIds: [...numbered.map((p) => p.id), ...leaving] }
}
