// Opens an integration for one job: its row, its target, its credentials (through the target).
// What cannot be opened is already the job's outcome.
import { readIntegrationSettings } from '../integrations/integrationConfig.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import type { SyncDeps, SyncRunOutcome } from './syncDeps.ts'
import type { SyncTarget, TargetConnection, TargetSettings } from './syncTarget.ts'

export interface OpenIntegration {
  integration: IntegrationConfig
  settings: TargetSettings
  target: SyncTarget
  connection: TargetConnection
}

export async function openIntegration(deps: SyncDeps, integrationId: number): Promise<{ ok: true; value: OpenIntegration } | { ok: false; outcome: SyncRunOutcome }> {
  const integration = await deps.db.integrationConfig.findUnique({ where: { id: integrationId } })
  const target = integration ? deps.targets[integration.targetName] : undefined
  // A target this worker does not sync (the agent writes Obsidian) has no jobs of its own.
  if (!integration || !target) return { ok: false, outcome: { kind: 'skipped', reason: 'integration gone' } }
  const { dryRun, cleanUpOnDelete } = readIntegrationSettings(integration.settings)
  const settings = { dryRun, cleanUpOnDelete }
  const connected = target.connect({ db: deps.db, cipher: deps.cipher, logger: deps.logger, now: deps.now ?? (() => new Date()), integration, settings })
  if (!connected.ok) return { ok: false, outcome: { kind: 'failed', reason: connected.error.message, requests: 0 } }
  return { ok: true, value: { integration, settings, target, connection: connected.value } }
}
