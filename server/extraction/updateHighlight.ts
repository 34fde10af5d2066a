// updateHighlight: the user's correction of a highlighted passage (OCR or PDF text gone wrong). The
// correction is part of the highlight's fingerprint, so it goes through the same reconciliation as a
// re-read page: in one transaction the text is stored, the fingerprint recomputed, the change queued
// for sync and announced.
import type { Db } from '../db.ts'
import type { Highlight } from '../generated/prisma/client.ts'
import { reconcileNotebook } from './reconcileNotebook.ts'
import { queueSync } from '../sync/queueSync.ts'
import { notifyEvents, type AppEvent } from '../events/appEvent.ts'
import { lockLibrary } from '../lockLibrary.ts'

/** Characters (code points) a correction may hold: a long passage, far from a runaway paste. */
export const CORRECTED_TEXT_MAX_LENGTH = 10_000

export interface UpdateHighlightInput {
  highlightId: number
  /** The corrected passage; null, "" or only whitespace clears the correction. */
  correctedText: string | null | undefined
}

export type UpdateHighlightError =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'INVALID_INPUT'; message: string; field: 'correctedText' }

export type UpdateHighlightOutcome =
  | { ok: true; highlight: Highlight; changed: boolean }
  | { ok: false; error: UpdateHighlightError }

/** The stored form of a correction: trimmed, empty → none; or why it cannot be stored. */
export function normalizeCorrectedText(text: string | null | undefined): { ok: true; value: string | null } | { ok: false; error: UpdateHighlightError } {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') return { ok: true, value: null }
  if ([...trimmed].length > CORRECTED_TEXT_MAX_LENGTH) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Keep the correction under ${CORRECTED_TEXT_MAX_LENGTH.toLocaleString('en')} characters`, field: 'correctedText' } }
  }
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail the statement.
  if (trimmed.includes('\u0000')) return { ok: false, error: { code: 'INVALID_INPUT', message: 'The correction contains a NUL character', field: 'correctedText' } }
  return { ok: true, value: trimmed.normalize('NFC') }
}

export async function updateHighlight(db: Db, userId: number, input: UpdateHighlightInput): Promise<UpdateHighlightOutcome> {
  const normalized = normalizeCorrectedText(input.correctedText)
  if (!normalized.ok) return normalized
  const correctedText = normalized.value
  return db.$transaction(async (tx) => {
    // The same lock as extraction and metadata sync: the reconciliation reads the whole notebook.
    await lockLibrary(tx, userId)
    const highlight = await tx.highlight.findFirst({ where: { id: input.highlightId, userId } })
    if (!highlight) return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No such highlight' } }
    if (highlight.correctedText === correctedText) return { ok: true as const, highlight, changed: false }

    // The correction is part of the fingerprint, so the reconciliation sees a changed highlight and
    // queues it. A removed highlight is not reconciled; its correction waits for the passage to return.
    await tx.highlight.update({ where: { id: highlight.id }, data: { correctedText } })
    const reconciled = await reconcileNotebook(tx, userId, highlight.notebookId)
    await queueSync(tx, userId, highlight.notebookId, reconciled.changes)
    await tx.$executeRaw`set constraints all immediate`
    const events: AppEvent[] = [...reconciled.events]
    if (!events.some((e) => e.kind === 'highlight' && e.id === highlight.id)) events.push({ kind: 'highlight', userId, id: highlight.id })
    await notifyEvents(tx, events)
    return { ok: true as const, highlight: await tx.highlight.findUniqueOrThrow({ where: { id: highlight.id } }), changed: true }
  })
}
