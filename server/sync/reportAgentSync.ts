// The agent reports what it wrote to a target only it can reach (an Obsidian vault): per notebook,
// the Markdown version it wrote and where; notebooks it took out. Each becomes the notebook's sync
// record at that target — success when the reported version is the notebook's current one, pending
// when the notebook changed since, failed when the agent found the file edited by hand and wrote
// beside it — so the target shows in the API like the ones the worker syncs. Later changes move the
// record back to pending (markdownChanges.ts).
import type { Db } from '../db.ts'
import type { SyncRecord } from '../generated/prisma/client.ts'
import { ValidationError } from '../errors.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { lockLibrary } from '../lockLibrary.ts'
import { loadMarkdownVersions } from '../markdown/loadMarkdownSources.ts'
import { makeAgentRecordHash } from './markdownChanges.ts'

export const MAX_REPORTED_NOTEBOOKS = 500

export interface AgentWrite {
  notebookId: number
  /** The markdownVersion the agent wrote. */
  version: string
  /** Where, relative to the target's root (the vault). */
  location: string
  /** Set when the file at `location` was edited by hand: where the agent's version went instead. */
  conflictLocation?: string | null
}

export interface AgentReport {
  written: readonly AgentWrite[]
  /** Notebooks (uuids) whose files the agent took out because they were deleted. */
  removedUuids: readonly string[]
}

export interface AgentReportResult {
  records: SyncRecord[]
  /** Records of deleted notebooks dropped (their clean-up at the target is done). */
  removed: number
}

export async function reportAgentSync(db: Db, userId: number, targetName: string, report: AgentReport): Promise<AgentReportResult> {
  assertReport(report)
  return db.$transaction(async (tx) => {
    // Serialized with every writer of the library, so a change committed meanwhile is either seen
    // here (the record stays pending) or marks it pending after (markdownChanges.ts).
    await lockLibrary(tx, userId)
    const ids = [...new Set(report.written.map((w) => w.notebookId))]
    const current = await loadMarkdownVersions(tx, userId, ids)
    const notebooks = new Map((await tx.notebook.findMany({ where: { userId, id: { in: ids } }, select: { id: true, uuid: true } })).map((n) => [n.id, n.uuid]))
    const recordIds: number[] = []
    for (const write of report.written) {
      const uuid = notebooks.get(write.notebookId)
      if (!uuid) continue // deleted (or never the caller's): nothing to show a status on
      const conflict = write.conflictLocation ? `Edited in the vault: ${write.location} is kept; the new version is in ${write.conflictLocation}` : null
      const status = conflict ? 'failed' : current.get(write.notebookId) === write.version ? 'success' : 'pending'
      const data = { status, errorMessage: conflict, externalId: write.location, payloadHash: write.version, syncedAt: new Date(), removedAt: null, retryCount: 0, failureKind: null } as const
      const row = await tx.syncRecord.upsert({
        where: { userId_targetName_itemType_itemId: { userId, targetName, itemType: 'notebook_metadata', itemId: String(write.notebookId) } },
        create: { userId, targetName, itemType: 'notebook_metadata', itemId: String(write.notebookId), notebookUuid: uuid, contentHash: makeAgentRecordHash(targetName, uuid), ...data },
        update: data,
        select: { id: true },
      })
      recordIds.push(row.id)
    }
    const removed = report.removedUuids.length
      ? await tx.$executeRaw`
          delete from sync_records r where r.user_id = ${userId} and r.target_name = ${targetName} and r.notebook_uuid = any(${[...report.removedUuids]}::text[])
            and (r.removed_at is not null or not exists (select 1 from notebooks n where n.user_id = ${userId} and n.uuid = r.notebook_uuid))`
      : 0
    await notifyEvents(tx, recordIds.map((id) => ({ kind: 'sync_record' as const, userId, id })))
    const records = await tx.syncRecord.findMany({ where: { id: { in: recordIds } }, orderBy: { id: 'asc' } })
    return { records, removed }
  })
}

function assertReport(report: AgentReport): void {
  if (report.written.length + report.removedUuids.length > MAX_REPORTED_NOTEBOOKS) throw new ValidationError(`At most ${MAX_REPORTED_NOTEBOOKS} notebooks per report`, 'notebooks')
  report.written.forEach((w, i) => {
    if (!/^[0-9a-f]{64}$/.test(w.version)) throw new ValidationError('markdownVersion must be a version the API gave', `written.${i}.markdownVersion`)
    for (const [field, value] of [['location', w.location], ['conflictLocation', w.conflictLocation ?? 'x']] as const)
      if (!value.trim() || value.length > 500) throw new ValidationError(`${field} must have 1–500 characters`, `written.${i}.${field}`)
  })
}
