import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanTranscript } from '../../server/ocr/index.ts'

describe('cleanTranscript: wrapping the model added', () => {
  const body = '## Plan\n- [ ] call Anna\n- buy milk → fridge'

  it.each([
    ['```markdown fence', '```markdown\n' + body + '\n```'],
    ['```md fence', '```md\n' + body + '\n```\n'],
    ['bare ``` fence', '```\n' + body + '\n```'],
    ['~~~ fence', '~~~\n' + body + '\n~~~'],
    ['preface then fence', 'Here is the transcription:\n\n```markdown\n' + body + '\n```'],
    ['polite preface then fence', "Sure! Here's the handwritten text transcribed into Markdown:\n```\n" + body + '\n```'],
    ['fence then closing remark', '```markdown\n' + body + '\n```\n\nLet me know if you need anything else.'],
    ['fence then note', '```\n' + body + '\n```\nNote: the last word was hard to read.'],
    ['double wrap in a longer fence', '````\n```markdown\n' + body + '\n```\n````'],
    ['opening fence repeated', '```markdown\n```markdown\n' + body + '\n```'],
    ['unclosed fence (cut off)', '```markdown\n' + body],
    ['closing fence without an opening one', body + '\n```'],
    ['preface alone', 'Here is the transcription of the handwriting:\n\n' + body],
    ['<think> block first', '<think>The page shows a title and two items.</think>\n\n' + body],
    ['CRLF line endings', '```markdown\r\n' + body.replace(/\n/g, '\r\n') + '\r\n```\r\n'],
  ])('%s', (_name, raw) => {
    expect(cleanTranscript(raw)).toBe(body)
  })

  it('keeps a code block that is part of the notes', () => {
    const raw = '## Script\n\n```python\nprint("hi")\n```\n\n- [ ] run it'
    expect(cleanTranscript(raw)).toBe(raw)
  })

  it('keeps a fenced block of another language even when it is all there is', () => {
    const raw = '```python\nprint("hi")\n```'
    expect(cleanTranscript(raw)).toBe(raw)
  })

  it('keeps a first line that only looks like a preface', () => {
    expect(cleanTranscript('Here are my notes:\n- one\n- two')).toBe('Here are my notes:\n- one\n- two')
    expect(cleanTranscript('Below is the plan:\n- one')).toBe('Below is the plan:\n- one')
  })

  it('keeps text around a fence when it is content, not a preface', () => {
    const raw = 'Shopping list for the weekend trip\n```\n- a\n```\nThen call the garage about the tyres'
    expect(cleanTranscript(raw)).toBe(raw)
  })

  it.each([
    '',
    '   \n\n ',
    '(no handwriting)',
    '[No handwriting detected]',
    'No handwritten text found on this page.',
    'The page is blank.',
    '*Blank page*',
    'None.',
    '```\n(no handwriting)\n```',
    '```markdown\n```',
  ])('an answer saying there is nothing → "" (%j)', (raw) => {
    expect(cleanTranscript(raw)).toBe('')
  })

  it('keeps a note that mentions handwriting without saying the page has none', () => {
    expect(cleanTranscript('No handwriting practice today')).toBe('No handwriting practice today')
  })
})

describe('cleanTranscript: lists and checkboxes', () => {
  it.each([
    ['- [X] done', '- [x] done'],
    ['* [ ] todo', '- [ ] todo'],
    ['+ [x] done', '- [x] done'],
    ['- [] empty box', '- [ ] empty box'],
    ['[ ] bare box', '- [ ] bare box'],
    ['[x] bare ticked', '- [x] bare ticked'],
    ['☐ open', '- [ ] open'],
    ['□ open square', '- [ ] open square'],
    ['☑ ticked', '- [x] ticked'],
    ['☒ crossed', '- [x] crossed'],
    ['✅ done', '- [x] done'],
    ['✔️ done', '- [x] done'],
    ['- ☐ open after a bullet', '- [ ] open after a bullet'],
    ['* ✅ ticked after a bullet', '- [x] ticked after a bullet'],
    ['- [✓] ticked mark', '- [x] ticked mark'],
    ['- [ ]', '- [ ]'],
  ])('%j → %j', (raw, expected) => {
    expect(cleanTranscript(raw)).toBe(expected)
  })

  it('turns * and • bullets into -', () => {
    expect(cleanTranscript('* one\n• two\n+ three\n- four')).toBe('- one\n- two\n- three\n- four')
  })

  it('re-indents four-space and tab nesting to two spaces per level', () => {
    expect(cleanTranscript('- a\n    - b\n        - c\n    - d\n- e')).toBe('- a\n  - b\n    - c\n  - d\n- e')
    expect(cleanTranscript('- a\n\t- b\n\t\t- [ ] c\n- e')).toBe('- a\n  - b\n    - [ ] c\n- e')
    expect(cleanTranscript('* a\n   * b\n      * c')).toBe('- a\n  - b\n    - c')
  })

  it('keeps numbered items and nests them like bullets', () => {
    expect(cleanTranscript('1. first\n    - detail\n2. second')).toBe('1. first\n  - detail\n2. second')
  })

  it('leaves emphasis, bold lines and thematic breaks alone', () => {
    expect(cleanTranscript('**Important** stuff\n\n*maybe* later\n\n* * *')).toBe('**Important** stuff\n\n*maybe* later\n\n* * *')
  })

  it('keeps arrows as written', () => {
    expect(cleanTranscript('idea -> prototype → launch\n- a => b')).toBe('idea -> prototype → launch\n- a => b')
  })

  it('keeps a continuation line under its item and strips indents that would make a code block', () => {
    expect(cleanTranscript('- first item\n    continues here\n\n    Plain indented paragraph')).toBe(
      '- first item\n  continues here\n\n  Plain indented paragraph',
    )
    expect(cleanTranscript('Title\n\n    indented text')).toBe('Title\n\nindented text')
  })
})

describe('cleanTranscript: whitespace and titles', () => {
  it('trims trailing spaces, collapses blank runs, trims the ends', () => {
    expect(cleanTranscript('\n\n## Title   \n\n\n\nline one  \nline two\t\n\n\n')).toBe('## Title\n\nline one\nline two')
  })

  it('keeps single blank lines between blocks', () => {
    expect(cleanTranscript('a\n\nb\n\nc')).toBe('a\n\nb\n\nc')
  })

  it('turns an underlined (setext) title into ##', () => {
    expect(cleanTranscript('Meeting\n=======\n- a')).toBe('## Meeting\n- a')
    expect(cleanTranscript('Meeting\n---\n- a')).toBe('## Meeting\n- a')
  })

  it('leaves a horizontal rule after a blank line alone', () => {
    expect(cleanTranscript('a\n\n---\n\nb')).toBe('a\n\n---\n\nb')
  })

  it('keeps blank lines inside a code block that is content', () => {
    const raw = 'notes\n\n```js\na()\n\n\nb()\n```'
    expect(cleanTranscript(raw)).toBe(raw)
  })
})

describe('cleanTranscript: properties', () => {
  const item = fc.record({
    indent: fc.constantFrom('', '  ', '    ', '\t', '      ', '\t\t'),
    marker: fc.constantFrom('- ', '* ', '• ', '+ ', '- [ ] ', '- [X] ', '☐ ', '✅ ', '1. ', ''),
    // Words a model uses to say "nothing here" are left out: alone on a page they rightly clean to ''.
    text: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 →>-]{0,20}$/).filter((text) => !/^(none|blank|empty|nothing)\b/i.test(text)),
    trailing: fc.constantFrom('', ' ', '  ', '\t'),
  })
  const line = fc.oneof(
    item.map(({ indent, marker, text, trailing }) => `${indent}${marker}${text}${trailing}`),
    fc.constantFrom('', '', '## Title', 'Plain words here'),
  )
  const page = fc.array(line, { maxLength: 25 }).map((lines) => lines.join('\n'))

  it('is idempotent', () => {
    fc.assert(fc.property(page, (raw) => cleanTranscript(cleanTranscript(raw)) === cleanTranscript(raw)))
  })

  it('leaves no trailing whitespace, no blank-line runs, no blank ends, only 2-space list indents', () => {
    fc.assert(
      fc.property(page, (raw) => {
        const lines = cleanTranscript(raw).split('\n')
        lines.forEach((text, at) => {
          expect(text).toBe(text.trimEnd())
          if (at > 0) expect(text === '' && lines[at - 1] === '').toBe(false)
          const indent = /^( *)(- |\d+\. )/.exec(text)?.[1].length
          if (indent !== undefined) expect(indent % 2).toBe(0)
          expect(text).not.toMatch(/^\s*[*•+] /)
          expect(text).not.toMatch(/\[X\]|☐|✅/)
        })
        if (lines.length > 1) {
          expect(lines[0]).not.toBe('')
          expect(lines[lines.length - 1]).not.toBe('')
        }
      }),
    )
  })

  it('keeps every word of the answer', () => {
    fc.assert(
      fc.property(page, (raw) => {
        // Checkbox marks are syntax, not words.
        const words = (text: string) => text.replace(/\[[ xX]?\]/g, ' ').match(/[A-Za-z0-9]+/g) ?? []
        expect(words(cleanTranscript(raw))).toEqual(words(raw))
      }),
    )
  })
})
