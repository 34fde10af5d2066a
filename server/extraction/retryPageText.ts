// retryPageText: the user asks for a page's text to be read again — after a failure (the provider
// refused, or kept failing until the job gave up), while it waits for quota, or after it was
// skipped for want of a provider. The same bytes are not charged to the quota twice.
import type { Db } from '../db.ts'
import { ConflictError, NotFoundError } from '../errors.ts'
import { addExtractJob } from '../jobs/extractJobs.ts'
import { notifyEvents } from '../events/appEvent.ts'
import type { Page } from '../generated/prisma/client.ts'

const RETRYABLE = new Set(['failed', 'pending_quota', 'skipped'])
/** Already queued or being read: asking again changes nothing (a double click). */
const UNDER_WAY = new Set(['pending', 'processing'])

/** Queues the page's extraction again; NotFoundError for a page that is not the user's, ConflictError when there is nothing to retry. */
export async function retryPageText(db: Db, userId: number, pageId: number): Promise<Page> {
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ user_id: number; file_sha256: string | null; ocr_status: string }[]>`
      select user_id, file_sha256, ocr_status::text from pages where id = ${pageId} for update`
    if (!locked || locked.user_id !== userId) throw new NotFoundError('No such page')
    if (!locked.file_sha256) throw new ConflictError('The page has not been uploaded yet')
    if (UNDER_WAY.has(locked.ocr_status)) return tx.page.findUniqueOrThrow({ where: { id: pageId } })
    if (!RETRYABLE.has(locked.ocr_status)) throw new ConflictError('The page text is already read; upload changed bytes to read it again')
    const page = await tx.page.update({ where: { id: pageId }, data: { ocrStatus: 'pending', ocrError: null } })
    await addExtractJob(tx, pageId)
    await notifyEvents(tx, [{ kind: 'page', userId, id: pageId }])
    return page
  })
}
