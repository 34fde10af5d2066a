// Where the Notion sync keeps what it knows while it works: the notebook record's metadata_json
// (page, anchor, section order, write in flight) and each page_text record's (its blocks). Written
// after every Notion write, in short transactions. A dry run keeps everything in memory.
import type { Db } from '../../db.ts'
import { fingerprintPageText } from '../../text/fingerprints.ts'
import type { NotebookModel } from './notebookModel.ts'

export interface SyncStore {
  saveNotebook(model: NotebookModel): Promise<void>
  saveSections(model: NotebookModel, pageIds: number[]): Promise<void>
  /** The database's properties changed: read its schema again next time. */
  forgetSchema(): Promise<void>
}

export const memoryStore: SyncStore = {
  async saveNotebook() {},
  async saveSections() {},
  async forgetSchema() {},
}

export function makeDbSyncStore(db: Db, ids: { userId: number; integrationId: number; targetName: string }): SyncStore {
  const saveNotebook = async (model: NotebookModel) => {
    await db.syncRecord.update({ where: { id: model.metaRecord.id }, data: { metadataJson: JSON.stringify(model.state), externalId: model.state.pageId } })
  }
  return {
    saveNotebook,
    async saveSections(model, pageIds) {
      await db.$transaction(async (tx) => {
        for (const pageId of pageIds) {
          const section = model.sections.get(pageId)
          const metadataJson = JSON.stringify(section ?? { blocks: [], nested: {} })
          const record = model.sectionRecords.get(pageId)
          if (record) {
            await tx.syncRecord.update({ where: { id: record.id }, data: { metadataJson } })
            continue
          }
          // A page without a record yet (queued before the integration existed): make one, pending.
          const desired = model.desired.find((d) => d.pageId === pageId)
          const page = await tx.page.findUnique({ where: { id: pageId }, select: { uuid: true, ocrText: true } })
          const contentHash = desired && page?.ocrText != null ? fingerprintPageText({ notebookUuid: model.notebook.uuid, pageNumber: desired.pageNumber, text: page.ocrText }) : `section:${pageId}`
          const created = await tx.syncRecord.upsert({
            where: { userId_targetName_itemType_itemId: { userId: ids.userId, targetName: ids.targetName, itemType: 'page_text', itemId: String(pageId) } },
            create: { userId: ids.userId, targetName: ids.targetName, itemType: 'page_text', itemId: String(pageId), contentHash, notebookUuid: model.notebook.uuid, pageUuid: page?.uuid, pageNumber: desired?.pageNumber, status: 'pending', metadataJson },
            update: { metadataJson },
          })
          model.sectionRecords.set(pageId, created)
        }
        await tx.syncRecord.update({ where: { id: model.metaRecord.id }, data: { metadataJson: JSON.stringify(model.state), externalId: model.state.pageId } })
      })
    },
    async forgetSchema() {
      await db.integrationConfig.update({ where: { id: ids.integrationId }, data: { targetState: {} } })
    },
  }
}
