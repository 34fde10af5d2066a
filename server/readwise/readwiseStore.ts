// Where the Readwise sync keeps what it delivered while it works: each item record's metadata_json
// (the book, and per piece the Readwise id and what was sent) and the notebook record's (the book id
// and a create in flight). Written after every Readwise write, in short statements.
import type { Db } from '../db.ts'
import { fingerprintPageText } from '../text/fingerprints.ts'
import type { ReadwiseStore } from './readwiseApply.ts'
import { READWISE_TARGET, type ReadwiseModel } from './readwiseModel.ts'

export function makeDbReadwiseStore(db: Db, userId: number): ReadwiseStore {
  return {
    async saveNotebook(model) {
      await db.syncRecord.update({
        where: { id: model.metaRecord.id },
        data: { metadataJson: JSON.stringify(model.state), externalId: model.state.bookId === null ? null : String(model.state.bookId) },
      })
    },
    async saveItems(model, keys) {
      await db.$transaction(async (tx) => {
        for (const key of keys) {
          const state = model.states.get(key)
          const metadataJson = JSON.stringify(state ?? null)
          const externalId = state?.ids[0] ?? null
          const record = model.records.get(key)
          if (record) {
            await tx.syncRecord.updateMany({ where: { id: record.id }, data: { metadataJson, externalId } })
            continue
          }
          // An item without a record yet (queued before the integration existed): make one, pending.
          const desired = model.desired.get(key)
          if (!desired) continue
          const contentHash = await currentFingerprint(tx, model, desired.itemType, Number(desired.itemId))
          const created = await tx.syncRecord.upsert({
            where: { userId_targetName_itemType_itemId: { userId, targetName: READWISE_TARGET, itemType: desired.itemType, itemId: desired.itemId } },
            create: { userId, targetName: READWISE_TARGET, itemType: desired.itemType, itemId: desired.itemId, contentHash, notebookUuid: model.notebook.uuid, pageNumber: desired.pieces[0].location, status: 'pending', metadataJson, externalId },
            update: { metadataJson, externalId },
          })
          model.records.set(key, created)
        }
      })
    },
  }
}

async function currentFingerprint(tx: Parameters<Parameters<Db['$transaction']>[0]>[0], model: ReadwiseModel, itemType: string, id: number): Promise<string> {
  if (itemType === 'highlight') return (await tx.highlight.findUniqueOrThrow({ where: { id }, select: { contentHash: true } })).contentHash
  const page = await tx.page.findUniqueOrThrow({ where: { id }, select: { ocrText: true, notebookPage: { select: { pageNumber: true } } } })
  return fingerprintPageText({ notebookUuid: model.notebook.uuid, pageNumber: page.notebookPage?.pageNumber ?? 0, text: page.ocrText ?? '' })
}
