// uploadPage: one page file from the agent. Checked (v6 header, size) before anything is stored;
// stored content-addressed; the extraction job is added in the transaction that records the new bytes.
// The same bytes again are a no-op (or a retry, when the last extraction failed).
import { createHash } from 'node:crypto'
import type { Db } from '../db.ts'
import { NotFoundError } from '../errors.ts'
import { checkHeader } from '../rm/index.ts'
import type { FileStorage } from '../storage/fileStorage.ts'
import { addExtractJob } from '../jobs/extractJobs.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { FileTooLargeError, InvalidFileError } from './uploadErrors.ts'
import { assertRemarkableId } from './syncNotebookMetadata.ts'
import { assertStorageLimit } from './userLimits.ts'
import type { UserLimits } from '../config.ts'

export type UploadOutcome = 'STORED' | 'UNCHANGED' | 'RETRIED'

export interface UploadPageInput {
  notebookUuid: string
  pageUuid: string
  bytes: Uint8Array
}

/** `limits.maxStoredBytes`: a file that would take the user's page files past it is refused (UserLimitError), before it is stored. */
export async function uploadPage(db: Db, storage: FileStorage, userId: number, input: UploadPageInput, maxBytes: number, limits?: Pick<UserLimits, 'maxStoredBytes'>) {
  assertRemarkableId(input.notebookUuid, 'notebookUuid')
  assertRemarkableId(input.pageUuid, 'pageUuid')
  if (input.bytes.length > maxBytes) throw new FileTooLargeError(input.bytes.length, maxBytes)
  const headerProblem = checkHeader(input.bytes)
  if (headerProblem) throw new InvalidFileError(`Not a reMarkable v6 page: ${headerProblem.message}`)
  const notebook = await db.notebook.findUnique({ where: { userId_uuid: { userId, uuid: input.notebookUuid } }, select: { id: true, type: true } })
  if (!notebook || notebook.type === 'FOLDER') throw new NotFoundError(`No notebook ${input.notebookUuid}; send its metadata first (syncNotebookMetadata)`)
  const sha256 = createHash('sha256').update(input.bytes).digest('hex')

  // Quick path without writing anything: the same bytes, and text is there or on its way.
  const current = await db.page.findUnique({ where: { notebookId_uuid: { notebookId: notebook.id, uuid: input.pageUuid } } })
  if (current?.fileSha256 === sha256 && current.ocrStatus !== 'failed') return { outcome: 'UNCHANGED' as UploadOutcome, page: current }

  if (limits) await assertStorageLimit(db, userId, notebook.id, input.pageUuid, input.bytes.length, limits)
  await storage.put(sha256, input.bytes)
  const result = await db.$transaction(async (tx) => {
    const page = await tx.page.upsert({
      where: { notebookId_uuid: { notebookId: notebook.id, uuid: input.pageUuid } },
      create: { userId, notebookId: notebook.id, notebookUuid: input.notebookUuid, uuid: input.pageUuid },
      update: {},
    })
    // Serialise concurrent uploads of one page (an agent retrying after a timeout).
    const [locked] = await tx.$queryRaw<{ file_sha256: string | null; ocr_status: string }[]>`select file_sha256, ocr_status::text from pages where id = ${page.id} for update`
    if (locked.file_sha256 === sha256 && locked.ocr_status !== 'failed') return { outcome: 'UNCHANGED' as UploadOutcome, page, previous: null }
    const outcome: UploadOutcome = locked.file_sha256 === sha256 ? 'RETRIED' : 'STORED'
    await tx.storedFile.upsert({ where: { sha256 }, create: { sha256, size: input.bytes.length }, update: {} })
    const updated = await tx.page.update({
      where: { id: page.id },
      data: { fileSha256: sha256, fileSize: input.bytes.length, uploadedAt: new Date(), ocrStatus: 'pending', ocrError: null },
    })
    await addExtractJob(tx, page.id)
    await notifyEvents(tx, [{ kind: 'page', userId, id: page.id }])
    return { outcome, page: updated, previous: locked.file_sha256 !== sha256 ? locked.file_sha256 : null }
  })
  // The replaced file goes once no page references it.
  if (result.previous) await removeIfUnreferenced(db, storage, result.previous)
  return { outcome: result.outcome, page: result.page }
}

export async function removeIfUnreferenced(db: Db, storage: FileStorage, sha256: string): Promise<void> {
  const removed = await db.$executeRaw`
    delete from stored_files where sha256 = ${sha256} and not exists (select 1 from pages where file_sha256 = ${sha256})`
  if (removed) await storage.delete(sha256)
}
