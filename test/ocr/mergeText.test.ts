import { describe, expect, it } from 'vitest'
import { mergePageText } from '../../server/ocr/index.ts'

describe('mergePageText', () => {
  it('puts the typed text first, then the transcription, one blank line apart', () => {
    expect(mergePageText('## Typed\n\nHello\n', '- [ ] written todo')).toBe('## Typed\n\nHello\n\n- [ ] written todo\n')
  })

  it('takes either side alone', () => {
    expect(mergePageText('Typed only\n', '')).toBe('Typed only\n')
    expect(mergePageText('', '- handwriting only')).toBe('- handwriting only\n')
    expect(mergePageText('  \n', '\n\n')).toBe('')
    expect(mergePageText('', '')).toBe('')
  })

  it('never leaves more than one blank line, at the seam or inside', () => {
    expect(mergePageText('Typed\n\n\n\n', '\n\n\n- written\n\n\n\n- more\n\n')).toBe('Typed\n\n- written\n\n- more\n')
  })

  it('normalises CRLF and keeps indentation of the first line', () => {
    expect(mergePageText('a\r\nb\r\n', '  - nested first')).toBe('a\nb\n\n  - nested first\n')
  })

  it('keeps blank lines inside a code block', () => {
    expect(mergePageText('```\nx\n\n\ny\n```', 'z')).toBe('```\nx\n\n\ny\n```\n\nz\n')
  })
})
