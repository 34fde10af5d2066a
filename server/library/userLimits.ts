// What one user may store (USER_MAX_PAGES, USER_MAX_STORED_BYTES): without a bound, one account can
// list millions of pages or fill the file storage for everyone. Past a limit the call is refused as a
// typed UserLimitError, and nothing of it is kept.
import type { DbTx } from '../db.ts'
import { AppError } from '../errors.ts'
import type { UserLimits } from '../config.ts'

export type UserLimitKind = 'PAGES' | 'STORED_BYTES'

export class UserLimitError extends AppError {
  override readonly code = 'USER_LIMIT_REACHED'
  constructor(readonly limit: UserLimitKind, readonly max: number, readonly wanted: number) {
    super(
      limit === 'PAGES'
        ? `This would make ${wanted} pages; an account holds at most ${max}`
        : `This would store ${wanted} bytes of page files; an account holds at most ${max}`,
    )
    this.name = 'UserLimitError'
  }
}

/** Throws when the user has more pages than allowed (call it inside the transaction that added them). */
export async function assertPageLimit(tx: DbTx, userId: number, limits: Pick<UserLimits, 'maxPages'>): Promise<void> {
  const [{ n }] = await tx.$queryRaw<{ n: number }[]>`select count(*)::int as n from pages where user_id = ${userId}`
  if (n > limits.maxPages) throw new UserLimitError('PAGES', limits.maxPages, n)
}

/** Throws when storing `bytes` as page `pageUuid` of the notebook would exceed the user's bytes. */
export async function assertStorageLimit(tx: DbTx, userId: number, notebookId: number, pageUuid: string, bytes: number, limits: Pick<UserLimits, 'maxStoredBytes'>): Promise<void> {
  // The page's current file is replaced, so it does not count.
  const [{ stored }] = await tx.$queryRaw<{ stored: number }[]>`
    select coalesce(sum(file_size), 0)::float8 as stored from pages
    where user_id = ${userId} and not (notebook_id = ${notebookId} and uuid = ${pageUuid})`
  if (stored + bytes > limits.maxStoredBytes) throw new UserLimitError('STORED_BYTES', limits.maxStoredBytes, stored + bytes)
}
