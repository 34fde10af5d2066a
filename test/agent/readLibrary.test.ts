import { describe, expect, it } from 'vitest'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readContent } from '../../agent/readContent.ts'
import { readLibrary, toIsoUtc } from '../../agent/readLibrary.ts'
import {
  DELETED_PAGE_UUID,
  DEMO_NOTEBOOK_UUID,
  DEMO_PAGE_ORDER,
  DESKTOP_FIXTURE_DIR,
  HAS_DESKTOP_FIXTURE,
  WORK_FOLDER_UUID,
  makeTempDirs,
  nameFixtureSuite,
} from './desktopFixture.ts'

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value))
}

const doc = (name: string, parent = '', extra: Record<string, unknown> = {}) => ({ visibleName: name, type: 'DocumentType', parent, lastModified: '1764000000000', ...extra })
const folderMeta = (name: string, parent = '', extra: Record<string, unknown> = {}) => ({ visibleName: name, type: 'CollectionType', parent, ...extra })

describe.skipIf(!HAS_DESKTOP_FIXTURE)(nameFixtureSuite('reading the desktop fixture'), () => {
  it('finds the folder "Work" and "Demo notebook" inside it, tagged, pages in idx order without the deleted one', async () => {
    const library = await readLibrary(DESKTOP_FIXTURE_DIR)
    expect(library.problems).toEqual([])
    expect(library.warnings).toEqual([])
    const byUuid = new Map(library.items.map((item) => [item.uuid, item]))
    expect(byUuid.get(WORK_FOLDER_UUID)).toEqual({
      uuid: WORK_FOLDER_UUID,
      visibleName: 'Work',
      type: 'FOLDER',
      parentUuid: null,
      tags: [],
      pageUuids: [],
      lastModified: '2025-10-31T08:40:00.000Z',
      lastOpened: null,
      lastOpenedPage: null,
      pinned: false,
      deleted: false,
    })
    const demo = byUuid.get(DEMO_NOTEBOOK_UUID)!
    expect(demo).toMatchObject({ visibleName: 'Demo notebook', type: 'NOTEBOOK', parentUuid: WORK_FOLDER_UUID, tags: ['planning'], deleted: false })
    expect(demo.pageUuids).toEqual(DEMO_PAGE_ORDER)
    expect(demo.pageUuids).not.toContain(DELETED_PAGE_UUID)
    expect(demo.lastModified).toBe('2025-11-24T16:00:00.000Z')
    expect(demo.lastOpened).toBe('2025-11-24T16:00:00.000Z')
    expect(demo.lastOpenedPage).toBe(1)
  })
})

describe('reading a library folder', () => {
  it('reads the older `pages` array in its own order, and pdf/epub file types', async () => {
    const dirs = await makeTempDirs(false)
    try {
      await mkdir(dirs.folder)
      await writeJson(path.join(dirs.folder, 'p1.metadata'), doc('A PDF'))
      await writeJson(path.join(dirs.folder, 'p1.content'), { fileType: 'pdf', pages: ['c', 'a', 'b'], tags: ['old-style'] })
      await writeJson(path.join(dirs.folder, 'e1.metadata'), doc('A book'))
      await writeJson(path.join(dirs.folder, 'e1.content'), { fileType: 'epub', cPages: { pages: [] } })
      const library = await readLibrary(dirs.folder)
      const byUuid = new Map(library.items.map((item) => [item.uuid, item]))
      expect(byUuid.get('p1')).toMatchObject({ type: 'PDF', pageUuids: ['c', 'a', 'b'], tags: ['old-style'] })
      expect(byUuid.get('e1')).toMatchObject({ type: 'EPUB', pageUuids: [] })
    } finally {
      await dirs.remove()
    }
  })

  it('reports a malformed file and skips only that notebook; it still counts as present (not deleted)', async () => {
    const dirs = await makeTempDirs(false)
    try {
      await mkdir(dirs.folder)
      await writeJson(path.join(dirs.folder, 'good.metadata'), doc('Good'))
      await writeJson(path.join(dirs.folder, 'good.content'), { fileType: 'notebook', cPages: { pages: [{ id: 'p', idx: { value: 'ba' } }] } })
      await writeJson(path.join(dirs.folder, 'bad.metadata'), '{"visibleName": "Bad", ')
      await writeJson(path.join(dirs.folder, 'badcontent.metadata'), doc('Bad content'))
      await writeJson(path.join(dirs.folder, 'badcontent.content'), { fileType: 'notebook', cPages: { pages: [{ id: 'p' }] } })
      await writeJson(path.join(dirs.folder, 'half.metadata'), doc('Still being written'))
      const library = await readLibrary(dirs.folder)
      expect(library.items.map((item) => item.uuid)).toEqual(['good'])
      expect(library.problems.map((p) => [path.basename(p.file), p.reason.split(':')[0]])).toEqual([
        ['bad.metadata', 'malformed JSON'],
        ['badcontent.content', 'page p has no idx.value'],
        ['half.content', 'file missing'],
      ])
      expect([...library.present].sort()).toEqual(['bad', 'badcontent', 'good', 'half'])
    } finally {
      await dirs.remove()
    }
  })

  it('marks deleted: the deleted flag, the trash, and anything inside a deleted folder', async () => {
    const dirs = await makeTempDirs(false)
    try {
      await mkdir(dirs.folder)
      const empty = { fileType: 'notebook', cPages: { pages: [] } }
      await writeJson(path.join(dirs.folder, 'live.metadata'), doc('Live'))
      await writeJson(path.join(dirs.folder, 'flagged.metadata'), doc('Flagged', '', { deleted: true }))
      await writeJson(path.join(dirs.folder, 'trashed.metadata'), doc('Trashed', 'trash'))
      await writeJson(path.join(dirs.folder, 'old.metadata'), folderMeta('Old folder', 'trash'))
      await writeJson(path.join(dirs.folder, 'inside.metadata'), doc('Inside old folder', 'old'))
      for (const uuid of ['live', 'flagged', 'trashed', 'inside']) await writeJson(path.join(dirs.folder, `${uuid}.content`), empty)
      const library = await readLibrary(dirs.folder)
      const deleted = Object.fromEntries(library.items.map((item) => [item.uuid, item.deleted]))
      expect(deleted).toEqual({ live: false, flagged: true, trashed: true, old: true, inside: true })
      expect(library.items.find((item) => item.uuid === 'trashed')!.parentUuid).toBeNull()
    } finally {
      await dirs.remove()
    }
  })

  it('places an item whose parent is not in the folder at the root, with a warning', async () => {
    const dirs = await makeTempDirs(false)
    try {
      await mkdir(dirs.folder)
      await writeJson(path.join(dirs.folder, 'orphan.metadata'), folderMeta('Orphan', 'nowhere'))
      const library = await readLibrary(dirs.folder)
      expect(library.items[0]).toMatchObject({ uuid: 'orphan', type: 'FOLDER', parentUuid: null })
      expect(library.warnings[0].reason).toContain('parent nowhere is not in the folder')
    } finally {
      await dirs.remove()
    }
  })
})

describe('readContent and timestamps', () => {
  it('sorts idx values as plain strings (code units), ties by id, and drops deleted entries', () => {
    const result = readContent({
      fileType: 'notebook',
      cPages: {
        pages: [
          { id: 'lower', idx: { value: 'a' } },
          { id: 'upper', idx: { value: 'Z' } },
          { id: 'gone', idx: { value: 'A' }, deleted: { value: 1 } },
          { id: 'longer', idx: { value: 'Za' } },
          { id: 'tie-b', idx: { value: 'b' } },
          { id: 'tie-a', idx: { value: 'b' } },
        ],
      },
      tags: [{ name: 'x', timestamp: 1 }, 'y', { name: 'x' }],
    })
    expect(result).toEqual({ ok: true, pageUuids: ['upper', 'longer', 'lower', 'tie-a', 'tie-b'], tags: ['x', 'y'], fileType: 'notebook' })
  })

  it('converts millisecond strings to ISO-8601 UTC and treats 0 or junk as no time', () => {
    expect(toIsoUtc('1764000000000')).toBe('2025-11-24T16:00:00.000Z')
    expect(toIsoUtc(1761900000000)).toBe('2025-10-31T08:40:00.000Z')
    expect(toIsoUtc('0')).toBeNull()
    expect(toIsoUtc('yesterday')).toBeNull()
    expect(toIsoUtc(undefined)).toBeNull()
  })
})
