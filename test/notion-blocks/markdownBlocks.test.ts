import { describe, expect, it } from 'vitest'
import { getChildren, isTodoBlock, markdownToBlocks, markdownToBlocksWithLines, mapCodeLanguage, type NotionBlock } from '../../server/notion/index.ts'
import { extractTodos } from '../../server/text/index.ts'
import { flattenLines } from './blockLines.ts'

const text = (content: string) => [{ type: 'text', text: { content } }]
const block = (type: string, content: string, extra: Record<string, unknown> = {}) => ({ type, [type]: { rich_text: text(content), ...extra } })

describe('markdownToBlocks: one construct each', () => {
  it('headings: # ## ###, deeper ones become heading_3, closing hashes dropped', () => {
    expect(markdownToBlocks('# One\n## Two\n### Three\n#### Four ##\n###### Six')).toEqual([
      block('heading_1', 'One'),
      block('heading_2', 'Two'),
      block('heading_3', 'Three'),
      block('heading_3', 'Four'),
      block('heading_3', 'Six'),
    ])
  })

  it('a hash without a space is text (tags stay tags)', () => {
    expect(markdownToBlocks('#tag and C#')).toEqual([block('paragraph', '#tag and C#')])
  })

  it('paragraphs: consecutive lines stay separate lines of one paragraph; blank lines split', () => {
    expect(markdownToBlocks('first line\nsecond line\n\nnext paragraph')).toEqual([
      block('paragraph', 'first line\nsecond line'),
      block('paragraph', 'next paragraph'),
    ])
  })

  it('bullets with -, * and + nest by 2 spaces, 4 spaces or a tab', () => {
    const expected = [
      block('bulleted_list_item', 'a', { children: [block('bulleted_list_item', 'b', { children: [block('bulleted_list_item', 'c')] })] }),
      block('bulleted_list_item', 'd'),
    ]
    expect(markdownToBlocks('- a\n  * b\n    + c\n- d')).toEqual(expected)
    expect(markdownToBlocks('- a\n    - b\n        - c\n- d')).toEqual(expected)
    expect(markdownToBlocks('- a\n\t- b\n\t\t- c\n- d')).toEqual(expected)
  })

  it('nests to any depth', () => {
    const markdown = Array.from({ length: 12 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n')
    const lines = flattenLines(markdownToBlocks(markdown))
    expect(lines).toEqual(Array.from({ length: 12 }, (_, depth) => ({ depth, type: 'bulleted_list_item', text: `level ${depth}` })))
  })

  it('numbered items with 1. and 1), nested under bullets', () => {
    expect(markdownToBlocks('1. one\n2) two\n   - sub\n3. three')).toEqual([
      block('numbered_list_item', 'one'),
      block('numbered_list_item', 'two', { children: [block('bulleted_list_item', 'sub')] }),
      block('numbered_list_item', 'three'),
    ])
  })

  it('a number Notion would not show stays a paragraph with its number', () => {
    expect(markdownToBlocks('3. third\n4. fourth')).toEqual([block('paragraph', '3. third\n4. fourth')])
    expect(markdownToBlocks('1. a\n1. b\n1. c')).toEqual([block('numbered_list_item', 'a'), block('numbered_list_item', 'b'), block('numbered_list_item', 'c')])
    expect(markdownToBlocks('1. a\n2. b\n5. e')).toEqual([block('numbered_list_item', 'a'), block('numbered_list_item', 'b'), block('paragraph', '5. e')])
  })

  it('checkboxes: - [ ], - [x], - [], * [x] and the box symbols become to_do', () => {
    const markdown = '- [ ] open\n- [x] done\n- [] empty box\n* [X] star\n☐ ballot\n□ square\n☑ ticked\n✓ check\n✔ heavy check'
    expect(markdownToBlocks(markdown)).toEqual([
      block('to_do', 'open', { checked: false }),
      block('to_do', 'done', { checked: true }),
      block('to_do', 'empty box', { checked: false }),
      block('to_do', 'star', { checked: true }),
      block('to_do', 'ballot', { checked: false }),
      block('to_do', 'square', { checked: false }),
      block('to_do', 'ticked', { checked: true }),
      block('to_do', 'check', { checked: true }),
      block('to_do', 'heavy check', { checked: true }),
    ])
  })

  it('to_dos nest, and can hold children', () => {
    expect(markdownToBlocks('- [ ] parent\n  - [x] child\n    - note')).toEqual([
      block('to_do', 'parent', {
        checked: false,
        children: [block('to_do', 'child', { checked: true, children: [block('bulleted_list_item', 'note')] })],
      }),
    ])
  })

  it('a box with no text is not a todo (as for the extractor): the line stays, verbatim', () => {
    expect(markdownToBlocks('- [ ]')).toEqual([block('bulleted_list_item', '[ ]')])
  })

  it('quotes: consecutive > lines are one quote, line by line', () => {
    expect(markdownToBlocks('> first\n> second\n>\n> fourth\nafter')).toEqual([
      block('quote', 'first\nsecond\n\nfourth'),
      block('paragraph', 'after'),
    ])
  })

  it('fenced code keeps its text literally and maps the language', () => {
    expect(markdownToBlocks('```js\nconst a = **b** // [x](y)\n  indented\n```\n~~~ Python3\nprint(1)\n~~~\n```brainfuck\n+++\n```')).toEqual([
      { type: 'code', code: { rich_text: text('const a = **b** // [x](y)\n  indented'), language: 'javascript' } },
      { type: 'code', code: { rich_text: text('print(1)'), language: 'python' } },
      { type: 'code', code: { rich_text: text('+++'), language: 'plain text' } },
    ])
  })

  it('an unclosed fence runs to the end; checkbox lines inside are code, not todos', () => {
    const markdown = '```\n- [ ] not a todo\n'
    expect(markdownToBlocks(markdown)).toEqual([{ type: 'code', code: { rich_text: text('- [ ] not a todo\n'), language: 'plain text' } }])
    expect(extractTodos(markdown)).toEqual([])
  })

  it('splits code over 2,000 characters across rich-text items', () => {
    const code = 'x'.repeat(4500)
    const [only] = markdownToBlocks('```\n' + code + '\n```') as Extract<NotionBlock, { type: 'code' }>[]
    expect(only.code.rich_text.map((item) => item.text.content.length)).toEqual([2000, 2000, 500])
    expect(only.code.rich_text.map((item) => item.text.content).join('')).toBe(code)
  })

  it('fenced code inside a list item is its child, indentation removed', () => {
    expect(markdownToBlocks('- run\n  ```sh\n  ls -la\n  ```')).toEqual([
      block('bulleted_list_item', 'run', { children: [{ type: 'code', code: { rich_text: text('ls -la'), language: 'shell' } }] }),
    ])
  })

  it('dividers: ---, ***, ___ and spaced forms', () => {
    expect(markdownToBlocks('---\n***\n___\n- - -')).toEqual(Array.from({ length: 4 }, () => ({ type: 'divider', divider: {} })))
  })

  it('a line under a paragraph followed by --- is no setext heading', () => {
    expect(markdownToBlocks('Title\n---')).toEqual([block('paragraph', 'Title'), { type: 'divider', divider: {} }])
  })

  it('arrows and other symbols stay verbatim, also at the start of a line', () => {
    expect(markdownToBlocks('-> next step\n=> result\n→ arrow\n<- back\n-- dash')).toEqual([
      block('paragraph', '-> next step\n=> result\n→ arrow\n<- back\n-- dash'),
    ])
  })

  it('an indented line right under an item continues its text; after a blank line it is a child paragraph', () => {
    expect(markdownToBlocks('- item\n  more of it\n\n  own paragraph')).toEqual([
      block('bulleted_list_item', 'item\nmore of it', { children: [block('paragraph', 'own paragraph')] }),
    ])
  })

  it('an unindented line after an item starts a paragraph (no lazy continuation)', () => {
    expect(markdownToBlocks('- item\nplain')).toEqual([block('bulleted_list_item', 'item'), block('paragraph', 'plain')])
  })

  it('inline Markdown inside blocks becomes annotations', () => {
    expect(markdownToBlocks('- **bold** item')).toEqual([
      {
        type: 'bulleted_list_item',
        bulleted_list_item: { rich_text: [{ type: 'text', text: { content: 'bold' }, annotations: { bold: true } }, { type: 'text', text: { content: ' item' } }] },
      },
    ])
  })

  it('CRLF and CR line ends work like LF', () => {
    expect(markdownToBlocks('a\r\nb\rc')).toEqual([block('paragraph', 'a\nb\nc')])
  })

  it('empty and blank input gives no blocks', () => {
    expect(markdownToBlocks('')).toEqual([])
    expect(markdownToBlocks('\n  \n\t\n')).toEqual([])
  })

  it('a 5,000-character line becomes one paragraph with 3 items whose concatenation is the line', () => {
    const line = Array.from({ length: 5000 }, (_, i) => 'abcdefghij'[i % 10]).join('')
    const blocks = markdownToBlocks(line)
    expect(blocks).toHaveLength(1)
    const paragraph = blocks[0] as Extract<NotionBlock, { type: 'paragraph' }>
    expect(paragraph.paragraph.rich_text).toHaveLength(3)
    expect(paragraph.paragraph.rich_text.map((item) => item.text.content).join('')).toBe(line)
  })

  it('a line of more than 100 rich-text items continues in a following paragraph', () => {
    const line = Array.from({ length: 60 }, (_, i) => `**b${i}** p${i}`).join(' ')
    const blocks = markdownToBlocks(line)
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph'])
    expect(flattenLines(blocks).map((l) => l.text).join('')).toBe(line.replaceAll('**', ''))
  })

  it('an over-long to_do keeps one to_do and continues in child paragraphs before its children', () => {
    const line = Array.from({ length: 60 }, (_, i) => `**b${i}** p${i}`).join(' ')
    const [todo] = markdownToBlocks(`- [ ] ${line}\n  - child`)
    expect(todo.type).toBe('to_do')
    const children = (todo as Extract<NotionBlock, { type: 'to_do' }>).to_do.children!
    expect(children.map((b) => b.type)).toEqual(['paragraph', 'bulleted_list_item'])
    const lines = flattenLines([todo])
    expect(lines.slice(0, 2).map((l) => l.text).join('')).toBe(line.replaceAll('**', ''))
    expect(lines[2]).toEqual({ depth: 1, type: 'bulleted_list_item', text: 'child' })
  })
})

describe('todos and to_do blocks agree', () => {
  it('every extracted todo has a to_do block at its line, with its state', () => {
    const markdown = [
      '# Tasks',
      '- [ ] call Bob',
      '  - [x] book room',
      'some text [ ] not a box',
      '> - [ ] quoted, not mine',
      '```',
      '- [ ] in code',
      '```',
      '☐ buy milk',
      '1. [x] numbered done',
      '| [ ] | table |',
    ].join('\n')
    const { blocks, lineOf } = markdownToBlocksWithLines(markdown)
    const todoBlocks: { line: number; text: string; checked: boolean }[] = []
    const walk = (list: NotionBlock[]) =>
      list.forEach((b) => {
        if (isTodoBlock(b)) todoBlocks.push({ line: lineOf.get(b)!, text: b.to_do.rich_text.map((r) => r.text.content).join(''), checked: b.to_do.checked })
        walk(getChildren(b))
      })
    walk(blocks)
    const todos = extractTodos(markdown).map((t) => ({ line: t.line, text: t.text, checked: t.completed }))
    expect(todoBlocks).toEqual(todos)
    expect(todos.map((t) => t.line)).toEqual([1, 2, 8, 9])
  })
})

describe('mapCodeLanguage', () => {
  it.each([
    ['ts', 'typescript'],
    ['TypeScript', 'typescript'],
    ['py', 'python'],
    ['c++', 'c++'],
    ['cpp', 'c++'],
    ['sh', 'shell'],
    ['bash', 'bash'],
    ['yml', 'yaml'],
    ['{.rust}', 'rust'],
    ['json title="x"', 'json'],
    ['', 'plain text'],
    ['klingon', 'plain text'],
  ])('%s → %s', (info, language) => {
    expect(mapCodeLanguage(info)).toBe(language)
  })
})
