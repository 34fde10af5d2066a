// Builds a user's library the way the service fills it: metadata and .rm pages through the agent's
// GraphQL mutations, typed text read by the real extraction, handwriting text and highlights written
// as extraction writes them (no OCR provider or PDF needed), each followed by reconcile + queue_sync.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import type { TestApp } from '../helpers/testApp.ts'
import type { TestUser } from '../helpers/users.ts'
import { quietLogger } from '../helpers/config.ts'
import { makeRmFile, makeRootTextBlock, type TextRun } from '../rm/rmWriter.ts'
import { extractPage } from '../../server/extraction/extractPage.ts'
import { reconcileNotebook } from '../../server/extraction/reconcileNotebook.ts'
import { queueSync } from '../../server/sync/queueSync.ts'
import { lockLibrary } from '../../server/lockLibrary.ts'

/** Paragraph style codes of the .rm format (server/rm/text.ts). */
export const STYLE = { plain: 1, heading: 2, bold: 3, bullet: 4, bullet2: 5, checkbox: 6, checked: 7 } as const

/** A page of typed paragraphs, each with its style, as the tablet writes them: one run, a newline before each paragraph after the first. */
export function makeTypedPage(paragraphs: readonly (readonly [number, string])[]): Uint8Array {
  const text = paragraphs.map(([, t]) => t).join('\n')
  const run: TextRun = { id: [1, 10], left: [0, 0], right: [0, 0], text }
  const styles: { char: [number, number]; code: number }[] = []
  let offset = 0
  paragraphs.forEach(([code, t], i) => {
    // The first paragraph's style is keyed by the end marker; the others by their newline's id (one id per code point).
    styles.push({ char: i === 0 ? [0, 0] : [1, 10 + offset - 1], code })
    offset += Array.from(t).length + 1
  })
  return makeRmFile([makeRootTextBlock([run], styles)])
}

export interface LibraryItem {
  uuid: string
  visibleName: string
  type?: 'NOTEBOOK' | 'FOLDER' | 'PDF' | 'EPUB'
  parentUuid?: string | null
  pageUuids?: string[]
  tags?: string[]
  lastModified?: string | null
  deleted?: boolean
}

async function postAs(app: TestApp, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
  return res.json()
}

/** The agent's syncNotebookMetadata. */
export async function syncLibrary(app: TestApp, user: TestUser, items: readonly LibraryItem[]): Promise<void> {
  const notebooks = items.map((i) => ({ type: 'NOTEBOOK', pageUuids: i.type === 'FOLDER' ? undefined : [], tags: [], parentUuid: null, ...i }))
  const result = await postAs(app, user.apiToken, 'mutation($input: SyncNotebookMetadataInput!) { syncNotebookMetadata(input: $input) { __typename ... on Error { code message } } }', { input: { notebooks } })
  expect(result).toEqual({ data: { syncNotebookMetadata: { __typename: 'SyncNotebookMetadataPayload' } } })
}

/** The agent's uploadPage, then the worker's extract_page for it (in-process). Returns when its text is written. */
export async function uploadAndExtract(app: TestApp, user: TestUser, notebookUuid: string, pageUuid: string, bytes: Uint8Array): Promise<void> {
  const form = new FormData()
  const query = 'mutation($input: UploadPageInput!) { uploadPage(input: $input) { __typename ... on UploadPagePayload { outcome page { id } } ... on Error { code message } } }'
  form.append('operations', JSON.stringify({ query, variables: { input: { notebookUuid, pageUuid, file: null } } }))
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }))
  form.append('0', new Blob([Buffer.from(bytes)]), 'page.rm')
  const res = await app.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${user.apiToken}` }, body: form })
  const json = (await res.json()) as any
  expect(json.data.uploadPage.__typename).toBe('UploadPagePayload')
  const page = await app.database.db.page.findFirstOrThrow({ where: { userId: user.id, notebookUuid, uuid: pageUuid } })
  const outcome = await extractPage({ db: app.database.db, storage: app.services.storage, logger: quietLogger }, page.id)
  expect(['written', 'current']).toContain(outcome.kind)
}

async function reconcileAndQueue(app: TestApp, userId: number, notebookId: number, write: (tx: any) => Promise<void>): Promise<void> {
  await app.database.db.$transaction(async (tx) => {
    await lockLibrary(tx, userId)
    await write(tx)
    const reconciled = await reconcileNotebook(tx, userId, notebookId)
    await queueSync(tx, userId, notebookId, reconciled.changes)
    await tx.$executeRaw`set constraints all immediate`
  })
}

/** A page's text as the handwriting path writes it (OCR transcription, Markdown). */
export async function setHandwrittenText(app: TestApp, user: TestUser, notebookUuid: string, pageUuid: string, text: string): Promise<void> {
  const page = await app.database.db.page.findFirstOrThrow({ where: { userId: user.id, notebookUuid, uuid: pageUuid } })
  await reconcileAndQueue(app, user.id, page.notebookId, (tx) =>
    tx.page.update({ where: { id: page.id }, data: { ocrText: text, ocrStatus: 'completed', hasHandwriting: true, textReadyAt: new Date() } }),
  )
}

/** A highlight as extraction writes it (an empty fingerprint, computed and queued by the reconciliation). */
export async function addHighlight(app: TestApp, user: TestUser, notebookUuid: string, pageUuid: string, text: string): Promise<number> {
  const page = await app.database.db.page.findFirstOrThrow({ where: { userId: user.id, notebookUuid, uuid: pageUuid } })
  let id = 0
  await reconcileAndQueue(app, user.id, page.notebookId, async (tx) => {
    const row = await tx.highlight.create({
      data: {
        userId: user.id,
        notebookId: page.notebookId,
        notebookUuid,
        pageId: page.id,
        originalText: text,
        originalTextHash: createHash('sha256').update(text).digest('hex'),
        sourceFile: `${notebookUuid}/${pageUuid}`,
        color: 'yellow',
        contentHash: '',
      },
    })
    id = row.id
  })
  return id
}

export async function notebookIdOf(app: TestApp, user: TestUser, uuid: string): Promise<number> {
  return (await app.database.db.notebook.findFirstOrThrow({ where: { userId: user.id, uuid } })).id
}
