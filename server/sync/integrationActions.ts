// What the integration mutations do, for any target, each in one transaction under the library lock
// (so catch-up misses no change queued meanwhile): enable or disable, change settings, disconnect.
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import { lockLibrary } from '../lockLibrary.ts'
import { queueCatchUp } from './catchUp.ts'
import { cancelQueuedSync } from './cancelQueuedSync.ts'
import { readIntegrationSettings } from './integrationSettings.ts'

// Catch-up marks every unsynced item of the user in the enabling transaction.
export const CATCH_UP_TX = { timeout: 120_000, maxWait: 10_000 }

/** Disabling withdraws queued sync work; enabling again queues everything not yet synced. */
export async function setIntegrationEnabled(db: Db, logger: Logger, integration: IntegrationConfig, enabled: boolean): Promise<IntegrationConfig> {
  if (integration.isEnabled === enabled) return integration
  return db.$transaction(async (tx) => {
    await lockLibrary(tx, integration.userId)
    const updated = await tx.integrationConfig.update({ where: { id: integration.id }, data: { isEnabled: enabled } })
    if (enabled) {
      const queued = await queueCatchUp(tx, integration.userId, integration.targetName)
      logger.info({ integrationId: integration.id, ...queued }, 'integration enabled; catch-up queued')
    } else {
      const withdrawn = await cancelQueuedSync(tx, integration.id)
      logger.info({ integrationId: integration.id, withdrawn }, 'integration disabled')
    }
    return updated
  }, CATCH_UP_TX)
}

/** Changes the settings given (undefined: unchanged), keeping every other key of the column. */
export async function updateIntegrationSettings(db: Db, integration: IntegrationConfig, input: { dryRun?: boolean | null; cleanUpOnDelete?: boolean | null; sendPageNotes?: boolean | null }): Promise<IntegrationConfig> {
  const before = readIntegrationSettings(integration.settings)
  const raw = (integration.settings ?? {}) as Record<string, unknown>
  const settings = {
    ...raw,
    dryRun: input.dryRun ?? before.dryRun,
    cleanUpOnDelete: input.cleanUpOnDelete ?? before.cleanUpOnDelete,
    sendPageNotes: input.sendPageNotes ?? before.sendPageNotes,
  }
  return db.$transaction(async (tx) => {
    await lockLibrary(tx, integration.userId)
    const updated = await tx.integrationConfig.update({ where: { id: integration.id }, data: { settings } })
    // Leaving dry run: what was only planned is now to be sent. Page notes on or off: they go or come.
    const due = (before.dryRun && !settings.dryRun) || before.sendPageNotes !== settings.sendPageNotes
    if (due && updated.isEnabled) await queueCatchUp(tx, integration.userId, integration.targetName)
    return updated
  }, CATCH_UP_TX)
}

export interface DisconnectResult {
  target: string
  syncRecordsDeleted: number
  syncRecordsKept: number
}

/** Removes the stored credentials and withdraws queued work; keeps or clears the sync records. */
export async function disconnectIntegration(db: Db, logger: Logger, integration: IntegrationConfig, keepSyncRecords: boolean): Promise<DisconnectResult> {
  return db.$transaction(async (tx) => {
    await lockLibrary(tx, integration.userId)
    await cancelQueuedSync(tx, integration.id)
    await tx.integrationConfig.delete({ where: { id: integration.id } })
    const where = { userId: integration.userId, targetName: integration.targetName }
    const deleted = keepSyncRecords ? 0 : (await tx.syncRecord.deleteMany({ where })).count
    const kept = keepSyncRecords ? await tx.syncRecord.count({ where }) : 0
    logger.info({ integrationId: integration.id, deleted, kept }, 'integration disconnected')
    return { target: integration.targetName, syncRecordsDeleted: deleted, syncRecordsKept: kept }
  })
}
