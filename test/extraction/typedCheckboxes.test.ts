// What a person types as a checkbox line becomes a todo (and a to_do block), as when handwritten:
// .rm files made here hold typed paragraphs, in every paragraph style, spelling checkboxes every way
// the handwriting path accepts (the todo corpus); they go through upload and text extraction.
// Paragraphs that are not checkbox lines stay literal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { createTestUser, type TestUser } from '../helpers/users.ts'
import { quietLogger } from '../helpers/config.ts'
import { syncNotebookMetadata } from '../../server/library/syncNotebookMetadata.ts'
import { uploadPage } from '../../server/library/uploadPage.ts'
import { extractPage } from '../../server/extraction/extractPage.ts'
import { extractTodos } from '../../server/text/todos.ts'
import { markdownToBlocks } from '../../server/notion/markdownBlocks.ts'
import { getChildren, type NotionBlock } from '../../server/notion/blockTypes.ts'
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'
import { heldOutTodoCorpus, todoCorpus, type ExpectedTodo } from '../text/todoCorpus.ts'

// Paragraph style codes as the tablet stores them (server/rm/text.ts).
const STYLES = { basic: 0, plain: 1, heading: 2, bold: 3, bullet: 4, bullet2: 5 } as const

/** A page of typed paragraphs, all in one style: one text run, each paragraph opened by a newline whose id keys its style. */
function makeTypedPage(lines: string[], code: number): Uint8Array {
  const text = lines.map((line) => `\n${line}`).join('')
  const styles: { char: [number, number]; code: number }[] = []
  let offset = 0
  for (const line of lines) {
    styles.push({ char: [1, 10 + offset], code })
    offset += 1 + Array.from(line).length // ids count code points
  }
  return makeRmFile([makeRootTextBlock([{ id: [1, 10], left: [0, 0], right: [0, 0], text }], styles)])
}

const corpus = [...todoCorpus, ...heldOutTodoCorpus].filter((c) => c.line.trim() !== '' && !c.line.includes('\n'))
// Checkbox lines by the handwriting path's rule, and lines that are not, each judged on its own line
// (a typed paragraph has no code fence or table around it).
const checkboxLines = corpus.filter((c) => c.expected)
const literalLines = corpus.filter((c) => !c.expected && extractTodos(c.line).length === 0).map((c) => c.line)
const ISSUE_EXAMPLES = ['- [ ] Review chapter 3', '- [x] Send the invoice', '- [] Water the plants', 'Buy milk', '- not a list', '[1] Smith, J. 2020']

let app: TestApp
let user: TestUser
// One notebook per page: a todo lives once per notebook (on the first page that has it).
const PAGES: [string, Uint8Array][] = [
  ...Object.entries(STYLES).map(([name, code]): [string, Uint8Array] => [name, makeTypedPage([...checkboxLines.map((c) => c.line), ...literalLines], code)]),
  ['issue', makeTypedPage(ISSUE_EXAMPLES, STYLES.plain)],
]

beforeAll(async () => {
  app = await startTestApp()
  user = await createTestUser(app.database.db, 'typed@example.com')
  const deps = { db: app.database.db, storage: app.services.storage, logger: quietLogger }
  for (const [name, bytes] of PAGES) {
    await syncNotebookMetadata(app.database.db, user.id, [{ uuid: `nb-${name}`, visibleName: name, type: 'NOTEBOOK', pageUuids: [`page-${name}`] }])
    const uploaded = await uploadPage(app.database.db, app.services.storage, user.id, { notebookUuid: `nb-${name}`, pageUuid: `page-${name}`, bytes }, 20 * 1024 * 1024)
    expect(uploaded.outcome).toBe('STORED')
    expect(await extractPage(deps, uploaded.page.id)).toMatchObject({ kind: 'written', status: 'completed' })
  }
})
afterAll(async () => {
  await app?.close()
})

async function readPage(uuid: string) {
  const page = await app.database.db.page.findFirstOrThrow({ where: { uuid, userId: user.id } })
  const todos = await app.database.db.todo.findMany({ where: { pageId: page.id, removedAt: null }, orderBy: { id: 'asc' } })
  return { text: page.ocrText ?? '', todos: todos.map((t): ExpectedTodo => ({ text: t.text, completed: t.completed })) }
}

function collectTodoBlocks(blocks: NotionBlock[]): ExpectedTodo[] {
  return blocks.flatMap((b): ExpectedTodo[] => [
    ...(b.type === 'to_do' ? [{ text: (b as any).to_do.rich_text.map((r: any) => r.text.content).join(''), completed: (b as any).to_do.checked }] : []),
    ...collectTodoBlocks(getChildren(b)),
  ])
}

describe('typed checkbox lines', () => {
  it('uses a corpus with every kind of checkbox spelling and of look-alike', () => {
    expect(checkboxLines.length).toBeGreaterThan(60)
    expect(literalLines.length).toBeGreaterThan(40)
  })

  it("the issue's typed lines become todos and to_do blocks; the others stay literal", async () => {
    const page = await readPage('page-issue')
    expect(page.todos).toEqual([
      { text: 'Review chapter 3', completed: false },
      { text: 'Send the invoice', completed: true },
      { text: 'Water the plants', completed: false },
    ])
    expect(page.text).toBe('- [ ] Review chapter 3\n- [x] Send the invoice\n- [ ] Water the plants\n\nBuy milk\n\n\\- not a list\n\n\\[1] Smith, J. 2020')
    expect(collectTodoBlocks(markdownToBlocks(page.text))).toEqual(page.todos)
  })

  for (const style of Object.keys(STYLES)) {
    it(`every checkbox spelling typed as a ${style} paragraph is a todo, ticked as written; nothing else is`, async () => {
      const page = await readPage(`page-${style}`)
      // Exactly the checkbox lines, in order: none of the literal lines on the page became a todo.
      expect(page.todos).toEqual(checkboxLines.map((c) => c.expected))
      // One to_do block per todo, ticked alike (its rich text carries the formatting the text has).
      expect(collectTodoBlocks(markdownToBlocks(page.text)).map((b) => b.completed)).toEqual(page.todos.map((t) => t.completed))
    })
  }
})
