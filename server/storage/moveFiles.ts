// Copies every page file the library references (stored_files) from one store to another, checking
// each file's bytes against its hash; with removeSource, deletes the source copy once the target's
// copy reads back whole. Safe to run while servers and workers run, and again after an interruption:
// files already in the target are skipped.
import { createHash } from 'node:crypto'
import type { Db } from '../db.ts'
import type { FileStorage } from './fileStorage.ts'

export interface MoveFilesOptions {
  removeSource?: boolean
  /** Count only: nothing is written or deleted. */
  dryRun?: boolean
  /** Files in flight at once (each is held in memory while copied). */
  concurrency?: number
  onProgress?: (report: MoveFilesReport) => void
}

export interface MoveFilesReport {
  scanned: number
  copied: number
  alreadyThere: number
  removedFromSource: number
  /** Referenced by the library, in neither store: those pages need uploading again. */
  missing: string[]
  /** Bytes in the source that do not match their hash: left where they are, not copied. */
  corrupt: string[]
}

const PAGE = 500

export async function moveFiles(db: Db, from: FileStorage, to: FileStorage, options: MoveFilesOptions = {}): Promise<MoveFilesReport> {
  const report: MoveFilesReport = { scanned: 0, copied: 0, alreadyThere: 0, removedFromSource: 0, missing: [], corrupt: [] }
  const concurrency = options.concurrency ?? 4
  let after = ''
  for (;;) {
    const rows = await db.$queryRaw<{ sha256: string }[]>`select sha256 from stored_files where sha256 > ${after} order by sha256 limit ${PAGE}`
    if (!rows.length) break
    after = rows[rows.length - 1].sha256
    let next = 0
    const moveNext = async () => {
      while (next < rows.length) await moveOne(rows[next++].sha256)
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, moveNext))
    options.onProgress?.(report)
  }
  return report

  async function moveOne(sha256: string): Promise<void> {
    report.scanned++
    if (await to.has(sha256)) {
      report.alreadyThere++
      if (options.removeSource && !options.dryRun && (await from.has(sha256)) && (await readsBackWhole(to, sha256))) {
        await from.delete(sha256)
        report.removedFromSource++
      }
      return
    }
    const bytes = await from.get(sha256)
    if (!bytes) return void report.missing.push(sha256)
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) return void report.corrupt.push(sha256)
    if (options.dryRun) return void report.copied++
    await to.put(sha256, bytes)
    report.copied++
    if (options.removeSource) {
      if (!(await readsBackWhole(to, sha256))) throw new Error(`The copy of ${sha256} in ${to.kind} storage does not read back whole; the source copy is kept`)
      await from.delete(sha256)
      report.removedFromSource++
    }
  }
}

/** Reads the file back from the store, a chunk at a time, and checks it against its hash. */
async function readsBackWhole(store: FileStorage, sha256: string): Promise<boolean> {
  const stream = await store.stream(sha256)
  if (!stream) return false
  const hash = createHash('sha256')
  for await (const chunk of stream.chunks) hash.update(chunk)
  return hash.digest('hex') === sha256
}
