// The Markdown export of a varied notebook — typed headings, nested lists and todos read from a real
// .rm page, handwriting with other checkbox spellings, a code block, a page not read yet, highlights
// (one corrected, one that looks like a heading), long lines, non-Latin text, a name that needs YAML
// quoting — equals a golden file written by hand, through every way out: Notebook.markdown, the
// signed .md download and the .zip export.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { graphql } from '../gql/index.ts'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { encodeGlobalID } from '../../server/schema/globalIds.ts'
import { addHighlight, makeTypedPage, notebookIdOf, setHandwrittenText, STYLE, syncLibrary, uploadAndExtract } from './markdownLibrary.ts'
import { readZip } from './readZip.ts'

const golden = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden', 'varied-notebook.md'), 'utf8')

const NotebookMarkdown = graphql(`
  query NotebookMarkdown($id: ID!) {
    node(id: $id) { ... on Notebook { markdown markdownVersion markdownPath markdownUrl todos { totalCount } } }
  }
`)
const UpdateHighlightText = graphql(`
  mutation UpdateHighlightText($input: UpdateHighlightInput!) { updateHighlight(input: $input) { __typename } }
`)
const LibraryExportUrl = graphql(`
  query LibraryExportUrl($folderUuid: String) {
    viewer { libraryExportUrl(folderUuid: $folderUuid) { __typename ... on LibraryExport { url fileName } ... on Error { code message } } }
  }
`)

const FOLDER = { work: 'f0000000-0000-4000-8000-00000000a001', projects: 'f0000000-0000-4000-8000-00000000a002' }
const NB = '3c1f5a2e-8d4b-4e7a-9b6c-2f1e0d9c8b7a'
const PAGES = ['p0000000-0000-4000-8000-000000000001', 'p0000000-0000-4000-8000-000000000002', 'p0000000-0000-4000-8000-000000000003', 'p0000000-0000-4000-8000-000000000004']
const NAME = 'Réunion: Q3 "plans" — 東京'
const LONG_LINE =
  'This is a long line written on the tablet without any line break, to show that the export keeps long lines whole instead of wrapping or cutting them: ' +
  'the quick brown fox jumps over the lazy dog, again and again, until the line is well over two hundred characters long.'
const HANDWRITING = [
  '## Notes from the call',
  '',
  '- first point',
  '  - nested detail',
  '    - deeper still',
  '☐ call Bob about the budget',
  '✓ pay the invoice',
  '1. [] numbered todo',
  '',
  '```',
  '☐ not a todo inside code',
  '```',
].join('\n')

let app: TestApp
let alice: TestUser
let bob: TestUser
let notebookGid: string

beforeAll(async () => {
  app = await startTestApp({ env: { PUBLIC_URL: 'https://rmirror.example' } })
  alice = await createTestUser(app.database.db, 'alice@example.com', ['agent', 'read', 'write'])
  bob = await createTestUser(app.database.db, 'bob@example.com', ['agent', 'read'])
  await syncLibrary(app, alice, [
    { uuid: FOLDER.work, visibleName: 'Work', type: 'FOLDER' },
    { uuid: FOLDER.projects, visibleName: 'Projects', type: 'FOLDER', parentUuid: FOLDER.work },
    { uuid: NB, visibleName: NAME, parentUuid: FOLDER.projects, pageUuids: PAGES, tags: ['planning', '#urgent', 'yes'], lastModified: '2026-03-04T10:20:30.000Z' },
  ])
  await uploadAndExtract(
    app,
    alice,
    NB,
    PAGES[0],
    makeTypedPage([
      [STYLE.heading, 'Agenda'],
      [STYLE.bullet, 'Budget'],
      [STYLE.bullet2, 'Travel costs'],
      [STYLE.bullet2, 'Hardware: laptops & docks'],
      [STYLE.checkbox, 'Book the room'],
      [STYLE.checked, 'Send the invite'],
      [STYLE.plain, LONG_LINE],
      [STYLE.plain, 'Привет, мир — こんにちは世界 — مرحبا بالعالم'],
    ]),
  )
  await setHandwrittenText(app, alice, NB, PAGES[1], HANDWRITING)
  await setHandwrittenText(app, alice, NB, PAGES[3], '')
  const typo = await addHighlight(app, alice, NB, PAGES[0], 'Teh quick brown fox')
  await addHighlight(app, alice, NB, PAGES[3], '# Chapter 1\nIt was a dark and stormy night.')
  await addHighlight(app, alice, NB, PAGES[3], '« Ceci n\'est pas une pipe »')
  const corrected = await app.gql(UpdateHighlightText, { input: { id: encodeGlobalID('Highlight', typo), correctedText: 'The quick brown fox' } }, alice.session)
  expect(corrected.data?.updateHighlight.__typename).toBe('Highlight')
  const id = await notebookIdOf(app, alice, NB)
  // The golden file's rmirror link names notebook 3 (after the two folders) of this fresh database.
  expect(id).toBe(3)
  notebookGid = encodeGlobalID('Notebook', id)
})
afterAll(async () => {
  await app?.close()
})

async function readMarkdown(token = alice.session) {
  const result = await app.gql(NotebookMarkdown, { id: notebookGid }, token)
  expect(result.errors).toBeUndefined()
  const node = result.data?.node
  if (!node || !('markdown' in node)) throw new Error('no notebook')
  return node
}

describe('the Markdown of a varied notebook', () => {
  it('equals the golden file', async () => {
    const { markdown } = await readMarkdown()
    expect(markdown).toBe(golden)
  })

  it('writes each todo once, where it is written, though the notebook has todo items for them', async () => {
    const { markdown, todos } = await readMarkdown()
    expect(todos.totalCount).toBe(5)
    for (const todo of ['Book the room', 'Send the invite', 'call Bob about the budget', 'pay the invoice', 'numbered todo']) {
      expect(markdown.split(todo).length - 1).toBe(1)
    }
  })

  it('has frontmatter every YAML reader takes back to the values (1.2 and 1.1 rules)', async () => {
    const { markdown } = await readMarkdown()
    const yamlText = markdown.split('---\n')[1]
    const expected = {
      title: NAME,
      uuid: NB,
      folder: 'Work / Projects',
      tags: ['planning', '#urgent', 'yes'],
      pages: 4,
      rmirror: `https://rmirror.example/dashboard/notebooks/${notebookGid}`,
    }
    expect(parseYaml(yamlText)).toMatchObject({ ...expected, modified: '2026-03-04T10:20:30.000Z' })
    const asYaml11 = parseYaml(yamlText, { version: '1.1' })
    expect(asYaml11).toMatchObject(expected)
    expect(new Date(asYaml11.modified).toISOString()).toBe('2026-03-04T10:20:30.000Z')
  })

  it('tells its file path: its folders and a name safe on every file system', async () => {
    const { markdownPath } = await readMarkdown()
    expect(markdownPath).toBe('Work/Projects/Réunion Q3 plans — 東京.md')
  })
})

describe('Notebook.markdownUrl', () => {
  it('downloads the same Markdown as a .md file with a safe file name', async () => {
    const { markdownUrl, markdownVersion } = await readMarkdown()
    expect(markdownUrl).toMatch(/^\/files\/notebooks\/3\/markdown\.md\?u=\d+&exp=\d+&sig=[\w-]+$/)
    const res = await app.fetch(markdownUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Reunion Q3 plans _ __.md"; filename*=UTF-8''${encodeURIComponent('Réunion Q3 plans — 東京.md')}`,
    )
    expect(res.headers.get('etag')).toBe(`"${markdownVersion}"`)
    expect(await res.text()).toBe(golden)
    const again = await app.fetch(markdownUrl, { headers: { 'if-none-match': `"${markdownVersion}"` } })
    expect(again.status).toBe(304)
  })

  it('refuses an unsigned, altered or expired URL before reading anything', async () => {
    const { markdownUrl } = await readMarkdown()
    const unsigned = await app.fetch(markdownUrl.split('&exp=')[0])
    expect(unsigned.status).toBe(403)
    expect(await unsigned.json()).toMatchObject({ error: { code: 'SIGNATURE_REQUIRED' } })
    // Another user's id in a signed URL: the signature no longer matches.
    const altered = await app.fetch(markdownUrl.replace(`u=${alice.id}`, `u=${bob.id}`))
    expect(altered.status).toBe(403)
    expect(await altered.json()).toMatchObject({ error: { code: 'BAD_SIGNATURE' } })
    const expired = app.services.signer.sign(`/files/notebooks/3/markdown.md?u=${alice.id}`, { now: new Date(Date.now() - 3_600_000) })
    expect((await app.fetch(expired)).status).toBe(403)
  })

  it('answers 404 for a notebook of another user, even with a valid signature for it', async () => {
    const forged = app.services.signer.sign(`/files/notebooks/3/markdown.md?u=${bob.id}`)
    expect((await app.fetch(forged)).status).toBe(404)
  })

  it('is not given to another user: the notebook is not theirs to read', async () => {
    const result = await app.gql(NotebookMarkdown, { id: notebookGid }, bob.apiToken)
    expect(result.data?.node).toBeNull()
  })
})

describe('Viewer.libraryExportUrl', () => {
  async function exportUrl(folderUuid: string | null, token = alice.session) {
    const result = await app.gql(LibraryExportUrl, { folderUuid }, token)
    expect(result.errors).toBeUndefined()
    return result.data!.viewer!.libraryExportUrl
  }

  async function downloadZip(url: string) {
    const res = await app.fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    return { res, entries: readZip(Buffer.from(await res.arrayBuffer())) }
  }

  it('streams the library as a .zip whose paths mirror the folders, each file the notebook’s Markdown', async () => {
    await syncLibrary(app, alice, [
      { uuid: 'n0000000-0000-4000-8000-00000000b001', visibleName: 'Inbox', pageUuids: [] },
      // Same safe name twice in one folder ("a/b" and "a:b" both become "a b"), and a case twin.
      { uuid: 'n0000000-0000-4000-8000-00000000b002', visibleName: 'a/b', parentUuid: FOLDER.work, pageUuids: [] },
      { uuid: 'n0000000-0000-4000-8000-00000000b003', visibleName: 'a:b', parentUuid: FOLDER.work, pageUuids: [] },
      { uuid: 'n0000000-0000-4000-8000-00000000b004', visibleName: 'A B', parentUuid: FOLDER.work, pageUuids: [] },
    ])
    const link = await exportUrl(null)
    expect(link).toMatchObject({ __typename: 'LibraryExport', fileName: 'reMarkable.zip' })
    const { res, entries } = await downloadZip((link as { url: string }).url)
    expect(res.headers.get('content-length')).toBeNull() // streamed, not built first
    expect(res.headers.get('content-disposition')).toContain('filename="reMarkable.zip"')
    // Oldest first: of two notebooks with one file name, the older keeps it.
    expect(entries.map((e) => e.name)).toEqual([
      'Work/Projects/Réunion Q3 plans — 東京.md',
      'Inbox.md',
      'Work/a b.md',
      'Work/a b (n0000000).md',
      'Work/A B (n0000000 2).md',
    ])
    const notebook = entries.find((e) => e.name.startsWith('Work/Projects/'))!
    expect(notebook.content.toString('utf8')).toBe(golden)
    expect(notebook.modified).toEqual({ year: 2026, month: 3, day: 4 })
    expect(entries.every((e) => e.mode === 0o100644)).toBe(true)
  })

  it('exports one folder with everything below it', async () => {
    const link = await exportUrl(FOLDER.projects)
    expect(link).toMatchObject({ __typename: 'LibraryExport', fileName: 'Projects.zip' })
    const { entries } = await downloadZip((link as { url: string }).url)
    expect(entries.map((e) => e.name)).toEqual(['Work/Projects/Réunion Q3 plans — 東京.md'])
  })

  it('answers a folder that is not the caller’s with a typed NotFoundError', async () => {
    expect(await exportUrl('no-such-folder')).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
    expect(await exportUrl(FOLDER.work, bob.apiToken)).toMatchObject({ __typename: 'NotFoundError' })
  })

  it('gives an empty library a valid empty archive', async () => {
    const { entries } = await downloadZip((await exportUrl(null, bob.apiToken) as { url: string }).url)
    expect(entries).toEqual([])
  })
})
