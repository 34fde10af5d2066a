// Page order at scale (issue 15): a 10,000-page notebook is planned in linear work and written in a
// fixed number of statements, whatever the number of pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planPageOrder, type OrderedPage } from '../../server/library/pageOrder.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'

/** An array whose element reads are counted (index access, as every array method does). */
function counted<T>(items: T[]): { list: T[]; reads: () => number } {
  let reads = 0
  const list = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++
      return Reflect.get(target, key, receiver)
    },
  })
  return { list, reads: () => reads }
}

describe('planPageOrder', () => {
  it('reads each page and each listed uuid a bounded number of times', () => {
    const n = 5000
    const pages = counted<OrderedPage>(Array.from({ length: n }, (_, i) => ({ id: i + 1, uuid: `p${i}`, pageNumber: i % 3 === 0 ? null : i + 1 })))
    const uuids = counted(Array.from({ length: n - 100 }, (_, i) => `p${n - 1 - i}`))
    const plan = planPageOrder(pages.list, uuids.list)
    // A search per page (indexOf, includes) would read millions of elements.
    expect(pages.reads()).toBeLessThanOrEqual(3 * n)
    expect(uuids.reads()).toBeLessThanOrEqual(3 * n)
    expect(plan.numbered.length).toBeGreaterThan(0)
  })

  it('numbers listed pages 1..n, leaves the unlisted ones, touches only what changed', () => {
    const pages: OrderedPage[] = [
      { id: 1, uuid: 'a', pageNumber: 1 },
      { id: 2, uuid: 'b', pageNumber: 2 },
      { id: 3, uuid: 'c', pageNumber: 3 },
      { id: 4, uuid: 'd', pageNumber: null },
    ]
    expect(planPageOrder(pages, ['a', 'c', 'd'])).toEqual({ numbered: [{ id: 3, pageNumber: 2 }, { id: 4, pageNumber: 3 }], leaving: [2] })
  })
})

describe('syncNotebookMetadata with a 10,000-page notebook', () => {
  let database: TestDatabase
  const statements: string[] = []
  beforeAll(async () => {
    database = await createTestDatabase({ onQuery: (sql) => void statements.push(sql) })
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('creates the pages in one statement and orders them in another', async () => {
    const user = await database.db.user.create({ data: { email: 'order@example.com', passwordHash: 'x' } })
    const pageUuids = Array.from({ length: 10_000 }, (_, i) => `page-${i}`)
    statements.length = 0
    await syncNotebookMetadata(database.db, user.id, [{ uuid: 'big', visibleName: 'Big', type: 'NOTEBOOK', pageUuids }])
    expect(statements.filter((sql) => /insert\s+into\s+"?(public"\.")?pages"?\s/i.test(sql))).toHaveLength(1)
    expect(statements.filter((sql) => /insert\s+into\s+notebook_pages/i.test(sql))).toHaveLength(1)
    const { rows } = await database.query('select count(*)::int as n, max(page_number) as last from notebook_pages')
    expect(rows[0]).toEqual({ n: 10_000, last: 10_000 })

    // Reversed: every page renumbered, still one statement.
    statements.length = 0
    await syncNotebookMetadata(database.db, user.id, [{ uuid: 'big', visibleName: 'Big', type: 'NOTEBOOK', pageUuids: [...pageUuids].reverse() }])
    expect(statements.filter((sql) => /insert\s+into\s+notebook_pages/i.test(sql))).toHaveLength(1)
    const first = await database.query(`select p.uuid from notebook_pages np join pages p on p.id = np.page_id where np.page_number = 1`)
    expect(first.rows[0].uuid).toBe('page-9999')
  })
})
