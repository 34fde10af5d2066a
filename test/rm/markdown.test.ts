import { describe, expect, it } from 'vitest'
import { pageToMarkdown, type RmParagraph } from '../../server/rm/index.ts'

const plain = (text: string, style: RmParagraph['style'] = 'plain'): RmParagraph => ({ style, text })
const markdownOf = (...paragraphs: RmParagraph[]) => pageToMarkdown({ paragraphs })

describe('typed text to Markdown', () => {
  it('maps every paragraph style', () => {
    expect(
      markdownOf(
        plain('Title', 'heading'),
        plain('Strong', 'bold'),
        plain('basic text', 'basic'),
        plain('one', 'bullet'),
        plain('two', 'bullet2'),
        plain('todo', 'checkbox'),
        plain('done', 'checkbox-checked'),
        plain('after'),
      ),
    ).toBe('## Title\n\n**Strong**\n\nbasic text\n\n- one\n  - two\n- [ ] todo\n- [x] done\n\nafter\n')
  })

  it('leaves out empty paragraphs and gives an empty page no Markdown', () => {
    expect(markdownOf(plain(''), plain('a'), plain('   '), plain('b'))).toBe('a\n\nb\n')
    expect(markdownOf()).toBe('')
    expect(markdownOf(plain(''))).toBe('')
  })

  it('separates two lists by paragraphs between them but not list items from each other', () => {
    expect(markdownOf(plain('a', 'bullet'), plain('b', 'checkbox'), plain('x'), plain('c', 'bullet'))).toBe(
      '- a\n- [ ] b\n\nx\n\n- c\n',
    )
  })

  it('writes inline bold and italic with spaces outside the markers', () => {
    const paragraph: RmParagraph = {
      style: 'plain',
      text: 'a bold both end',
      spans: [
        { text: 'a ', bold: false, italic: false },
        { text: 'bold ', bold: true, italic: false },
        { text: 'both', bold: true, italic: true },
        { text: ' end', bold: false, italic: true },
      ],
    }
    expect(markdownOf(paragraph)).toBe('a **bold** ***both*** *end*\n')
  })

  it('does not double bold inside a bold paragraph', () => {
    const paragraph: RmParagraph = {
      style: 'bold',
      text: 'x y',
      spans: [
        { text: 'x ', bold: true, italic: false },
        { text: 'y', bold: false, italic: true },
      ],
    }
    expect(markdownOf(paragraph)).toBe('**x *y***\n')
  })

  it('escapes characters Markdown would read as syntax', () => {
    expect(markdownOf(plain('2*3 = 6 and `code` \\ path'))).toBe('2\\*3 = 6 and \\`code\\` \\\\ path\n')
    expect(markdownOf(plain('snake_case stays, _this_ is escaped'))).toBe('snake_case stays, \\_this\\_ is escaped\n')
    expect(markdownOf(plain('# not a heading'))).toBe('\\# not a heading\n')
    expect(markdownOf(plain('- not a list'))).toBe('\\- not a list\n')
    expect(markdownOf(plain('> not a quote'))).toBe('\\> not a quote\n')
    expect(markdownOf(plain('1. not numbered'))).toBe('1\\. not numbered\n')
    expect(markdownOf(plain('[ ] not a box', 'bullet'))).toBe('- \\[ ] not a box\n')
  })
})
