// Exported file names must be valid on Windows, macOS and Linux and in Obsidian links, stay readable,
// and never collide (case-insensitively, as on macOS and Windows).
import { describe, expect, it } from 'vitest'
import { makeContentDisposition, makeMarkdownPath, makePathAllocator, makeSafeName, MAX_NAME_BYTES } from '../../server/markdown/fileNames.ts'

describe('makeSafeName', () => {
  it.each([
    ['Q3 plans', 'Q3 plans'],
    ['Réunion: Q3 "plans"', 'Réunion Q3 plans'],
    ['a/b\\c', 'a b c'],
    ['Links [[x]] #tag ^block | pipe', 'Links x tag block pipe'],
    ['  .hidden.  ', 'hidden'],
    ['...', 'Untitled'],
    ['', 'Untitled'],
    ['CON', 'CON_'],
    ['nul.txt', 'nul.txt_'],
    ['tab\there\nnewline', 'tab here newline'],
    ['evil\u202egnp.md', 'evil gnp.md'],
    ['東京 メモ', '東京 メモ'],
  ])('%j → %j', (name, safe) => {
    expect(makeSafeName(name)).toBe(safe)
  })

  it('keeps long names under the byte limit without splitting a character', () => {
    const long = '👩‍👩‍👧'.repeat(40) // 18 bytes each
    const safe = makeSafeName(long)
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(safe).toBe('👩‍👩‍👧'.repeat(6))
    expect(Buffer.byteLength(makeSafeName('é'.repeat(200)))).toBe(MAX_NAME_BYTES)
  })

  it('makes each folder one segment of the path, even a folder named with a slash', () => {
    expect(makeMarkdownPath(['Work', 'A/B'], 'Notes?')).toBe('Work/A B/Notes.md')
    expect(makeMarkdownPath([], 'Inbox')).toBe('Inbox.md')
  })
})

describe('makePathAllocator', () => {
  it('gives the first its path and later ones with the same path (any case) the start of their uuid', () => {
    const allocate = makePathAllocator()
    expect(allocate('Work/Q3.md', '1a2b3c4d-x')).toBe('Work/Q3.md')
    expect(allocate('work/q3.md', '5e6f7a8b-y')).toBe('work/q3 (5e6f7a8b).md')
    expect(allocate('Work/Q3.md', '5e6f7a8b-z')).toBe('Work/Q3 (5e6f7a8b 2).md')
    expect(allocate('Work/Other.md', '1a2b3c4d-x')).toBe('Work/Other.md')
  })
})

describe('makeContentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(makeContentDisposition('Réunion — 東京.md')).toBe(`attachment; filename="Reunion _ __.md"; filename*=UTF-8''R%C3%A9union%20%E2%80%94%20%E6%9D%B1%E4%BA%AC.md`)
    expect(makeContentDisposition("it's (a) 100%.md")).toBe(`attachment; filename="it's (a) 100_.md"; filename*=UTF-8''it%27s%20%28a%29%20100%25.md`)
  })
})
