import { describe, expect, it } from 'vitest'
import { createReporter } from '../../agent/progress.ts'

function capture(isTTY: boolean) {
  let text = ''
  let clock = 0
  const reporter = createReporter({ write: (chunk: string) => (text += chunk), isTTY, columns: 100 }, () => (clock += 50))
  return { reporter, text: () => text }
}

describe('progress output', () => {
  it('draws a bar on a terminal, redrawn in place, with messages above it', () => {
    const { reporter, text } = capture(true)
    reporter.progress.begin(3, 3000)
    reporter.progress.advance({ label: 'Demo p.1', bytes: 1000, outcome: 'uploaded' })
    reporter.log('refused Demo p.2: INVALID_FILE')
    reporter.progress.advance({ label: 'Demo p.2', bytes: 0, outcome: 'failed' })
    reporter.progress.advance({ label: 'Demo p.3', bytes: 1000, outcome: 'uploaded' })
    reporter.progress.end()
    const out = text()
    expect(out).toContain('\r\x1b[2K[')
    expect(out).toContain('\r\x1b[2Krefused Demo p.2: INVALID_FILE\n')
    expect(out).toMatch(/\[#+\] 3\/3 pages · 2\.0 KB · [\d.]+ pages\/s\n$/)
    expect(out).not.toContain('Demo p.1') // pages are counted on the bar, not listed
  })

  it('writes plain lines elsewhere, one per page, no escape codes', () => {
    const { reporter, text } = capture(false)
    reporter.progress.begin(2, 2048)
    reporter.progress.advance({ label: 'Demo p.1', bytes: 1024, outcome: 'uploaded' })
    reporter.progress.advance({ label: 'Demo p.2', bytes: 1024, outcome: 'unchanged' })
    reporter.progress.end()
    expect(text()).toBe('uploading 2 pages (2.0 KB)\n[1/2] uploaded Demo p.1 (1.0 KB)\n[2/2] unchanged Demo p.2 (1.0 KB)\n')
  })
})
