import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  fingerprintHighlight,
  fingerprintNotebookMetadata,
  fingerprintPageText,
  fingerprintTodo,
} from '../../server/text/index.ts'

// Expected values are computed here, independently, over the literal template strings of DESIGN.md.
const sha256 = (template: string) => createHash('sha256').update(Buffer.from(template, 'utf8')).digest('hex')
const notebookUuid = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'

describe('fingerprintPageText', () => {
  it('hashes `${notebook_uuid}:${page_number}:${ocr_text.trim()}`', () => {
    const text = '\n  # Weekly sync\n- [ ] Größe messen 📞\n\t '
    expect(fingerprintPageText({ notebookUuid, pageNumber: 2, text })).toBe(
      sha256(`${notebookUuid}:2:# Weekly sync\n- [ ] Größe messen 📞`),
    )
  })

  it('matches a digest computed outside Node (`printf "n:1:" | sha256sum`)', () => {
    expect(fingerprintPageText({ notebookUuid: 'n', pageNumber: 1, text: '   ' })).toBe(
      '4b4cb6dab801b33f7ec97dc48a4d0c3d1b51026a3cb35bbfeb8f7217d5a4d091',
    )
  })

  it('trims as JavaScript does: U+FEFF and U+3000 go, U+0085 (Python strips it) stays', () => {
    expect(fingerprintPageText({ notebookUuid, pageNumber: 1, text: '\ufeff\u3000text\u2003' })).toBe(
      sha256(`${notebookUuid}:1:text`),
    )
    expect(fingerprintPageText({ notebookUuid, pageNumber: 1, text: 'text\u0085' })).toBe(
      sha256(`${notebookUuid}:1:text\u0085`),
    )
  })

  it('differs when only the page number or notebook differs', () => {
    const onPage1 = fingerprintPageText({ notebookUuid, pageNumber: 1, text: 'same text' })
    expect(fingerprintPageText({ notebookUuid, pageNumber: 2, text: 'same text' })).not.toBe(onPage1)
    expect(fingerprintPageText({ notebookUuid: 'other', pageNumber: 1, text: 'same text' })).not.toBe(onPage1)
  })

  it('refuses a page number that is not a positive integer', () => {
    for (const pageNumber of [0, -1, 1.5, Number.NaN]) {
      expect(() => fingerprintPageText({ notebookUuid, pageNumber, text: 'x' })).toThrow(RangeError)
    }
  })
})

describe('fingerprintTodo', () => {
  it('hashes `${fuzzy_signature}:${notebook_uuid}:${page_number}`', () => {
    expect(fingerprintTodo({ fuzzySignature: '3_chapter_review', notebookUuid, pageNumber: 7 })).toBe(
      sha256(`3_chapter_review:${notebookUuid}:7`),
    )
  })

  it('differs when the same todo is on another page', () => {
    const place = { fuzzySignature: '3_chapter_review', notebookUuid }
    expect(fingerprintTodo({ ...place, pageNumber: 1 })).not.toBe(fingerprintTodo({ ...place, pageNumber: 2 }))
  })
})

describe('fingerprintHighlight', () => {
  const sourceFile = `${notebookUuid}/5a0c7e2d-1f3b-4c6a-8e9d-0b1c2d3e4f50`

  it('hashes `${original_text}:${corrected_text}:${source_file}:${page_number}`', () => {
    expect(
      fingerprintHighlight({ originalText: 'electronc paper', correctedText: 'electronic paper', sourceFile, pageNumber: 3 }),
    ).toBe(sha256(`electronc paper:electronic paper:${sourceFile}:3`))
  })

  it('renders a null correction as the empty string', () => {
    const withNull = fingerprintHighlight({ originalText: 'Das Ökosystem', correctedText: null, sourceFile, pageNumber: 1 })
    expect(withNull).toBe(sha256(`Das Ökosystem::${sourceFile}:1`))
    expect(withNull).toBe(fingerprintHighlight({ originalText: 'Das Ökosystem', correctedText: '', sourceFile, pageNumber: 1 }))
    expect(withNull).not.toBe(sha256(`Das Ökosystem:None:${sourceFile}:1`))
  })

  it('differs when the same text is highlighted on another page', () => {
    const highlight = { originalText: 'same', correctedText: null, sourceFile }
    expect(fingerprintHighlight({ ...highlight, pageNumber: 1 })).not.toBe(fingerprintHighlight({ ...highlight, pageNumber: 2 }))
  })
})

describe('fingerprintNotebookMetadata', () => {
  it('hashes `${notebook_uuid}:${visible_name}:${folder_path}:${sorted tags joined by ,}`', () => {
    const metadata = { notebookUuid, visibleName: 'Meeting notes', folderPath: 'Work / Projects', tags: ['zeta', 'Alpha', 'beta', 'Ärger'] }
    // code-unit order: uppercase before lowercase, Ä (U+00C4) after z
    expect(fingerprintNotebookMetadata(metadata)).toBe(
      sha256(`${notebookUuid}:Meeting notes:Work / Projects:Alpha,beta,zeta,Ärger`),
    )
  })

  it('does not depend on the order tags come in, and does not reorder the caller’s array', () => {
    const tags = ['b', 'a']
    const place = { notebookUuid, visibleName: 'N', folderPath: '' }
    expect(fingerprintNotebookMetadata({ ...place, tags })).toBe(fingerprintNotebookMetadata({ ...place, tags: ['a', 'b'] }))
    expect(tags).toEqual(['b', 'a'])
  })

  it('hashes a root notebook without tags with empty fields', () => {
    expect(fingerprintNotebookMetadata({ notebookUuid, visibleName: 'Inbox', folderPath: '', tags: [] })).toBe(
      sha256(`${notebookUuid}:Inbox::`),
    )
  })

  it('changes with a rename, a move or a tag', () => {
    const base = { notebookUuid, visibleName: 'Inbox', folderPath: '', tags: [] as string[] }
    const original = fingerprintNotebookMetadata(base)
    expect(fingerprintNotebookMetadata({ ...base, visibleName: 'Inbox 2' })).not.toBe(original)
    expect(fingerprintNotebookMetadata({ ...base, folderPath: 'Work' })).not.toBe(original)
    expect(fingerprintNotebookMetadata({ ...base, tags: ['x'] })).not.toBe(original)
  })
})
