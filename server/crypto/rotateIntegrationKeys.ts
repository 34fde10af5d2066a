// `npm run keys:rotate`: re-encrypts every integration config under the first master key. Each row is
// rewritten in its own statement, only if it still holds the value read (a concurrent reconnect wins),
// and only after the new value was checked to open to the same config — so an interruption leaves
// every row readable under the key list, and running again continues where it stopped.
import { isDeepStrictEqual } from 'node:util'
import type { ConfigCipher } from './configCipher.ts'
import type { DbTx } from '../db.ts'

export interface RotateOptions {
  /** Rows read per batch. */
  batchSize?: number
  /** Stop after this many rewrites (tests interrupt a rotation with it). */
  limit?: number
  /** Count only; write nothing. */
  dryRun?: boolean
  onProgress?: (progress: RotationReport) => void
}

export interface RotationReport {
  scanned: number
  rotated: number
  /** Already under the first key. */
  current: number
  /** Opens under no configured key: left untouched, listed by id (never content). */
  unreadable: { id: number; userId: number; targetName: string }[]
  /** Changed by someone else between read and write; the next run takes them. */
  changedMeanwhile: number
  /** Stopped by `limit` before the end. */
  stoppedEarly: boolean
}

export async function rotateIntegrationKeys(db: DbTx, cipher: ConfigCipher, options: RotateOptions = {}): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 100
  const report: RotationReport = { scanned: 0, rotated: 0, current: 0, unreadable: [], changedMeanwhile: 0, stoppedEarly: false }
  let afterId = 0
  for (;;) {
    const rows = await db.integrationConfig.findMany({
      where: { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, userId: true, targetName: true, configEncrypted: true },
    })
    if (rows.length === 0) break
    for (const row of rows) {
      afterId = row.id
      if (options.limit !== undefined && report.rotated >= options.limit) {
        report.stoppedEarly = true
        return report
      }
      report.scanned++
      const opened = cipher.decrypt(row.userId, row.configEncrypted)
      if (!opened.ok) {
        report.unreadable.push({ id: row.id, userId: row.userId, targetName: row.targetName })
        continue
      }
      if (opened.keyIndex === 0) {
        report.current++
        continue
      }
      if (options.dryRun) {
        report.rotated++
        continue
      }
      const token = cipher.encrypt(row.userId, opened.config)
      const check = cipher.decrypt(row.userId, token)
      if (!check.ok || check.keyIndex !== 0 || !isDeepStrictEqual(check.config, opened.config)) throw new Error(`Re-encrypting integration config ${row.id} did not round-trip; nothing was written for it`)
      const written = await db.integrationConfig.updateMany({ where: { id: row.id, configEncrypted: row.configEncrypted }, data: { configEncrypted: token } })
      if (written.count === 1) report.rotated++
      else report.changedMeanwhile++
    }
    options.onProgress?.({ ...report, unreadable: [...report.unreadable] })
  }
  return report
}
