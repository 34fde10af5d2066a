// Which page files need uploading: those whose bytes differ from the last successful upload. A file
// whose stat (size, mtime, ctime, inode) is the one recorded is not even read again.
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { formatBytes } from './progress.ts'
import { pageFilePath, type FileProblem, type LibraryItem } from './readLibrary.ts'
import { runPool } from './runPool.ts'
import type { AgentState, PageRecord } from './state.ts'

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
const HASH_CONCURRENCY = 8

export interface PageCandidate {
  key: string
  notebookUuid: string
  pageUuid: string
  file: string
  /** "Demo notebook p.2", for people. */
  label: string
  size: number
}

export interface PagePlan {
  uploads: PageCandidate[]
  unchanged: number
  /** Refused earlier (by the server or the size check) and unchanged since. */
  skipped: FileProblem[]
  /** Refused now, without sending (too large, unreadable). */
  failed: FileProblem[]
}

export function makePageKey(notebookUuid: string, pageUuid: string): string {
  return `${notebookUuid}/${pageUuid}`
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function makePageRecord(sha256: string, stats: Stats): PageRecord {
  return { sha256, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino }
}

function hasSameStat(record: Omit<PageRecord, 'sha256'> | undefined, stats: Stats): boolean {
  return !!record && record.size === stats.size && record.mtimeMs === stats.mtimeMs && record.ctimeMs === stats.ctimeMs && record.ino === stats.ino
}

export async function planPageUploads(folder: string, documents: LibraryItem[], state: AgentState, maxFileBytes: number): Promise<PagePlan> {
  const plan: PagePlan = { uploads: [], unchanged: 0, skipped: [], failed: [] }
  const pages = documents.flatMap((doc) =>
    doc.pageUuids.map((pageUuid, index) => ({
      key: makePageKey(doc.uuid, pageUuid),
      notebookUuid: doc.uuid,
      pageUuid,
      file: pageFilePath(folder, doc.uuid, pageUuid),
      label: `${doc.visibleName} p.${index + 1}`,
    })),
  )
  const found: (PageCandidate | null)[] = new Array(pages.length).fill(null)
  await runPool([...pages.keys()], HASH_CONCURRENCY, async (i) => {
    const page = pages[i]
    let stats: Stats
    try {
      stats = await stat(page.file)
    } catch (err) {
      // A page nobody has drawn on has no .rm file: nothing to upload.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') plan.failed.push({ file: page.file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code}` })
      return
    }
    const rejected = state.rejected[page.key]
    const uploaded = state.pages[page.key]
    if (hasSameStat(rejected, stats)) return void plan.skipped.push({ file: page.file, reason: `refused earlier (${rejected.code}: ${rejected.message}); unchanged since` })
    if (hasSameStat(uploaded, stats)) return void plan.unchanged++
    if (stats.size > maxFileBytes) {
      const message = `${formatBytes(stats.size)} is over the ${formatBytes(maxFileBytes)} limit`
      state.rejected[page.key] = { ...makePageRecord('', stats), code: 'FILE_TOO_LARGE', message }
      return void plan.failed.push({ file: page.file, reason: `FILE_TOO_LARGE: ${message}` })
    }
    let sha256: string
    try {
      sha256 = hashBytes(await readFile(page.file))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // deleted between stat and read
      return void plan.failed.push({ file: page.file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` })
    }
    if (uploaded?.sha256 === sha256) {
      state.pages[page.key] = makePageRecord(sha256, stats) // touched but not changed: remember the new stat
      return void plan.unchanged++
    }
    if (rejected?.sha256 === sha256) {
      state.rejected[page.key] = { ...rejected, ...makePageRecord(sha256, stats) }
      return void plan.skipped.push({ file: page.file, reason: `refused earlier (${rejected.code}: ${rejected.message}); unchanged since` })
    }
    found[i] = { ...page, size: stats.size }
  })
  plan.uploads = found.filter((page): page is PageCandidate => page !== null)
  plan.skipped.sort(byFile)
  plan.failed.sort(byFile)
  return plan
}

function byFile(a: FileProblem, b: FileProblem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0
}
