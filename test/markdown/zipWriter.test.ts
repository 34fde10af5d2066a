// The export's ZIP writer: archives that unzip reads back exactly (names in UTF-8, every CRC right),
// written as files come, and with ZIP64 records once there are more files than the classic format counts.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeZipWriter } from '../../server/markdown/zipWriter.ts'
import { readZip } from './readZip.ts'

async function makeArchive(files: [string, string][]): Promise<{ archive: Buffer; writes: number }> {
  const chunks: Buffer[] = []
  const zip = makeZipWriter(async (chunk) => void chunks.push(chunk))
  for (const [name, content] of files) await zip.addFile(name, content, new Date('2026-05-06T07:08:10Z'))
  await zip.finish()
  const archive = Buffer.concat(chunks)
  expect(zip.bytesWritten).toBe(archive.length)
  return { archive, writes: chunks.length }
}

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('makeZipWriter', () => {
  const files: [string, string][] = [
    ['Inbox.md', '# hello\n'],
    ['Work/Projects/Réunion — 東京.md', 'Привет\n'.repeat(1000)],
    ['Work/empty.md', ''],
  ]

  it('writes an archive read back file for file, each written as it came', async () => {
    const { archive, writes } = await makeArchive(files)
    expect(writes).toBe(files.length * 2 + files.length + 1) // header + data per file, one per directory entry, the end record
    const entries = readZip(archive)
    expect(entries.map((e) => [e.name, e.content.toString('utf8')])).toEqual(files)
    expect(entries[0].modified).toEqual({ year: 2026, month: 5, day: 6 })
  })

  it.skipIf(!hasUnzip())('is accepted by unzip, names and contents intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-writer-'))
    try {
      const file = path.join(dir, 'out.zip')
      fs.writeFileSync(file, (await makeArchive(files)).archive)
      expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toContain('No errors detected')
      execFileSync('unzip', ['-q', file, '-d', path.join(dir, 'x')])
      expect(fs.readFileSync(path.join(dir, 'x', 'Work', 'Projects', 'Réunion — 東京.md'), 'utf8')).toBe(files[1][1])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('adds ZIP64 end records past 65,535 files, and the archive still reads back', async () => {
    const many: [string, string][] = Array.from({ length: 65_540 }, (_, i) => [`n/${i}.md`, ''])
    const { archive } = await makeArchive(many)
    expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true)
    const entries = readZip(archive)
    expect(entries).toHaveLength(65_540)
    expect(entries.at(-1)!.name).toBe('n/65539.md')
  }, 60_000)
})
