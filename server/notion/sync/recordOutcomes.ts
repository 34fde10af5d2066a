// After a Notion sync of a notebook: every item's sync record says where it stands — success with
// its Notion id (a todo points at its to_do block, a highlight at its callout, a page at its
// heading) and the hash of what was delivered, or failed with Notion's message. Removed items whose
// blocks are gone leave no record. Changed rows are announced for live subscribers.
import { createHash } from 'node:crypto'
import type { Db, DbTx } from '../../db.ts'
import type { SyncRecord } from '../../generated/prisma/client.ts'
import { notifyEvents, type AppEvent } from '../../events/appEvent.ts'
import type { NotebookModel } from './notebookModel.ts'
import type { NotebookSyncResult } from './notebookSync.ts'

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex')

type Outcome = { kind: 'success'; externalId: string | null; payloadHash: string } | { kind: 'failed'; message: string } | { kind: 'delete' }

function sectionComplete(model: NotebookModel, pageId: number): boolean {
  const desired = model.desired.find((d) => d.pageId === pageId)
  const st = model.sections.get(pageId)
  return !!desired && !!st && st.blocks.length === desired.sigs.length && st.blocks.every((b, i) => b.id && b.sig === desired.sigs[i])
}

export async function recordNotionOutcomes(db: Db, model: NotebookModel, result: NotebookSyncResult, now: Date): Promise<{ succeeded: number; failed: number }> {
  const failed = new Map(result.failedSections.map((f) => [f.pageId, f.message]))
  const outcomes = new Map<SyncRecord, Outcome>()
  const desiredById = new Map(model.desired.map((d) => [d.pageId, d]))

  for (const [pageId, record] of model.sectionRecords) {
    const desired = desiredById.get(pageId)
    if (!desired) {
      // The page left the notebook (or was deleted): done once its blocks are gone.
      if ((model.sections.get(pageId)?.blocks ?? []).length === 0) outcomes.set(record, { kind: 'delete' })
      continue
    }
    if (failed.has(pageId)) outcomes.set(record, { kind: 'failed', message: failed.get(pageId)! })
    else if (sectionComplete(model, pageId)) outcomes.set(record, { kind: 'success', externalId: model.sections.get(pageId)!.blocks[0].id, payloadHash: hash(desired.sigs) })
  }

  for (const record of model.todoRecords) {
    const todo = model.todos.get(Number(record.itemId))
    if (!todo || todo.removed) {
      if (todo?.pageId == null || !failed.has(todo.pageId)) outcomes.set(record, { kind: 'delete' })
      continue
    }
    if (todo.pageId == null) continue
    if (failed.has(todo.pageId)) {
      outcomes.set(record, { kind: 'failed', message: failed.get(todo.pageId)! })
      continue
    }
    const desired = desiredById.get(todo.pageId)
    const path = desired?.todoPaths.get(todo.id)
    if (!desired || !path || !sectionComplete(model, todo.pageId)) continue
    const st = model.sections.get(todo.pageId)!
    const id = path.length === 1 ? st.blocks[path[0]].id : st.nested[path.join('.')]
    if (id) outcomes.set(record, { kind: 'success', externalId: id, payloadHash: hash([todo.text, todo.completed, todo.pageNumber]) })
  }

  for (const record of model.highlightRecords) {
    const h = model.highlights.get(Number(record.itemId))
    if (!h || h.removed) {
      if (h?.pageId == null || !failed.has(h.pageId)) outcomes.set(record, { kind: 'delete' })
      continue
    }
    if (h.pageId == null) continue
    if (failed.has(h.pageId)) {
      outcomes.set(record, { kind: 'failed', message: failed.get(h.pageId)! })
      continue
    }
    const desired = desiredById.get(h.pageId)
    const index = desired?.highlightIndexes.get(h.id)
    if (index === undefined || !sectionComplete(model, h.pageId)) continue
    outcomes.set(record, { kind: 'success', externalId: model.sections.get(h.pageId)!.blocks[index].id, payloadHash: hash([h.text, h.color, h.pageNumber]) })
  }

  outcomes.set(model.metaRecord, { kind: 'success', externalId: model.state.pageId, payloadHash: model.state.propertiesHash ?? '' })

  let succeeded = 0
  let failures = 0
  const events: AppEvent[] = []
  await db.$transaction(async (tx) => {
    for (const [record, outcome] of outcomes) {
      const changed = await applyOutcome(tx, record, outcome, now)
      if (outcome.kind === 'success') succeeded++
      if (outcome.kind === 'failed') failures++
      if (changed && outcome.kind !== 'delete') events.push({ kind: 'sync_record', userId: record.userId, id: record.id })
    }
    await notifyEvents(tx, events)
  })
  return { succeeded, failed: failures }
}

async function applyOutcome(tx: DbTx, record: SyncRecord, outcome: Outcome, now: Date): Promise<boolean> {
  switch (outcome.kind) {
    case 'delete':
      await tx.syncRecord.deleteMany({ where: { id: record.id } })
      return true
    case 'failed':
      if (record.status === 'failed' && record.errorMessage === outcome.message) return false
      await tx.syncRecord.updateMany({ where: { id: record.id }, data: { status: 'failed', errorMessage: outcome.message, failureKind: 'permanent' } })
      return true
    case 'success':
      if (record.status === 'success' && record.payloadHash === outcome.payloadHash && record.externalId === outcome.externalId) return false
      // Only a record still for this content is settled: one re-queued with new content stays pending
      // (its job runs next).
      await tx.syncRecord.updateMany({
        where: { id: record.id, contentHash: record.contentHash },
        data: { status: 'success', externalId: outcome.externalId, payloadHash: outcome.payloadHash, syncedAt: now, errorMessage: null, retryCount: 0, failureKind: null },
      })
      return true
  }
}
