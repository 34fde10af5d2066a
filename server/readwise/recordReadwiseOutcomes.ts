// After a Readwise sync of a notebook: every item's record says where it stands — success with its
// Readwise id (the first piece's) and the hash of what was delivered, or failed with Readwise's
// message; removed items whose highlights are gone leave no record; the notebook's record holds the
// Readwise book. Changed rows are announced for live subscribers.
import type { Db } from '../db.ts'
import { notifyEvents, type AppEvent } from '../events/appEvent.ts'
import type { ReadwiseApplyResult } from './readwiseApply.ts'
import { hashBook, hashItem } from './readwiseHighlights.ts'
import type { ReadwiseModel } from './readwiseModel.ts'
import type { ReadwisePlan } from './readwisePlan.ts'

export async function recordReadwiseOutcomes(db: Db, model: ReadwiseModel, plan: ReadwisePlan, result: ReadwiseApplyResult, now: Date): Promise<{ succeeded: number; failed: number }> {
  let succeeded = 0
  let failed = 0
  const events: AppEvent[] = []
  const removed = new Set(plan.removed)
  await db.$transaction(async (tx) => {
    for (const [key, record] of model.records) {
      const state = model.states.get(key)
      // Its deletes all went through (a failure throws before this): what it still lists is kept by
      // another item (the same text, de-duplicated by Readwise into one highlight).
      if (removed.has(key)) {
        await tx.syncRecord.deleteMany({ where: { id: record.id } })
        continue
      }
      const desired = model.desired.get(key)
      if (!desired) continue
      const message = result.failed.get(key)
      if (message) {
        failed++
        if (record.status === 'failed' && record.errorMessage === message) continue
        await tx.syncRecord.updateMany({ where: { id: record.id }, data: { status: 'failed', errorMessage: message, failureKind: 'permanent' } })
        events.push({ kind: 'sync_record', userId: record.userId, id: record.id })
        continue
      }
      if (!state || state.ids.length !== desired.pieces.length || state.ids.some((id) => !id)) continue
      succeeded++
      const payloadHash = hashItem(desired)
      if (record.status === 'success' && record.payloadHash === payloadHash && record.externalId === state.ids[0]) continue
      // Only a record still for this content is settled: one queued again with new content stays pending.
      const updated = await tx.syncRecord.updateMany({
        where: { id: record.id, contentHash: record.contentHash },
        data: { status: 'success', externalId: state.ids[0], payloadHash, syncedAt: now, errorMessage: null, retryCount: 0, failureKind: null },
      })
      if (updated.count) events.push({ kind: 'sync_record', userId: record.userId, id: record.id })
    }
    const meta = model.metaRecord
    const bookHash = hashBook(model.book)
    const externalId = model.state.bookId === null ? null : String(model.state.bookId)
    if (!(meta.status === 'success' && meta.payloadHash === bookHash && meta.externalId === externalId)) {
      await tx.syncRecord.updateMany({
        where: { id: meta.id, contentHash: meta.contentHash },
        data: { status: 'success', externalId, payloadHash: bookHash, syncedAt: now, errorMessage: null, retryCount: 0, failureKind: null },
      })
      events.push({ kind: 'sync_record', userId: meta.userId, id: meta.id })
    }
    await notifyEvents(tx, events)
  })
  return { succeeded, failed }
}
