// A deleted notebook at Notion: its page is trashed when the user chose clean-up, otherwise marked
// "Source deleted". Then its sync records go and its tombstone is marked cleaned.
import { readNotionIntegration } from '../integrations/integrationConfig.ts'
import { makeNotionClient } from '../notion/notionClient.ts'
import { classifySyncError, makeSdkNotionPort } from '../notion/sync/notionPort.ts'
import type { NotionSchema } from '../notion/sync/notebookProperties.ts'
import type { SyncDeps, SyncRunOutcome } from './runNotionSync.ts'

export async function runNotionCleanup(deps: SyncDeps, integrationId: number, notebookUuid: string): Promise<SyncRunOutcome> {
  const { db } = deps
  const read = await readNotionIntegration(db, deps.cipher, integrationId)
  if (!read) return { kind: 'skipped', reason: 'integration gone' }
  if (!read.ok) return { kind: 'failed', reason: read.error.message, requests: 0 }
  const { integration, credentials, settings } = read.value
  const userId = integration.userId
  const tombstone = await db.notebookTombstone.findFirst({ where: { userId, notebookUuid, cleanedAt: null }, orderBy: { id: 'desc' } })
  // A notebook uploaded again since (same uuid) is live: nothing of it is cleaned up.
  const live = await db.notebook.findUnique({ where: { userId_uuid: { userId, uuid: notebookUuid } } })
  if (!tombstone || live) return { kind: 'skipped', reason: live ? 'notebook is back' : 'nothing to clean up' }
  const pageId = (tombstone.externalIds as { notion?: { notebook?: string | null } } | null)?.notion?.notebook ?? null
  let requests = 0
  if (pageId && !settings.dryRun) {
    const port = makeSdkNotionPort(makeNotionClient({ token: credentials.token, baseUrl: deps.notionBaseUrl, pacer: deps.pacer, maxWaitMs: deps.maxPacerWaitMs ?? 30_000 }))
    const schema = (integration.targetState as { schema?: NotionSchema } | null)?.schema
    try {
      requests++
      if (settings.cleanUpOnDelete) await port.updatePage(pageId, { in_trash: true })
      else if (!schema || schema.present.includes('Status')) await port.updatePage(pageId, { properties: { Status: { select: { name: 'Source deleted' } } } })
    } catch (error) {
      const e = classifySyncError(error)
      if (e.transient) return { kind: 'retry', delayMs: e.retryAfterMs ?? 0, reason: e.message, requests }
      // Gone already (deleted by the user, or no longer shared): nothing left to clean up.
      if (e.kind !== 'not_found' && e.kind !== 'archived') return { kind: 'failed', reason: e.message, requests }
    }
  }
  await db.$transaction([
    db.syncRecord.deleteMany({ where: { userId, targetName: 'notion', notebookUuid } }),
    db.notebookTombstone.update({ where: { id: tombstone.id }, data: { cleanedAt: new Date() } }),
  ])
  return { kind: 'done', requests, succeeded: 1, failed: 0 }
}
