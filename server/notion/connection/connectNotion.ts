// connectIntegration for Notion: the input read, the connection checked live, the credentials stored
// encrypted and enabled, and everything not yet synced queued — under the library lock.
import type { Client } from '@notionhq/client'
import type { ConfigCipher } from '../../crypto/configCipher.ts'
import type { Db } from '../../db.ts'
import type { Logger } from '../../logger.ts'
import type { IntegrationConfig } from '../../generated/prisma/client.ts'
import { lockLibrary } from '../../lockLibrary.ts'
import { queueCatchUp } from '../../sync/catchUp.ts'
import { CATCH_UP_TX } from '../../sync/integrationActions.ts'
import { checkNotionConnection, readNotionConnectionInput } from './notionConnection.ts'
import { NOTION_TARGET, saveNotionIntegration } from './notionIntegration.ts'

export interface ConnectNotionDeps {
  db: Db
  cipher: ConfigCipher
  logger: Logger
  makeClient: (token: string) => Client
}

/** Throws the typed failure (ValidationError, a Notion failure) the mutation answers with. */
export async function connectNotion(deps: ConnectNotionDeps, userId: number, input: { token: string; databaseId: string; dataSourceId?: string | null }): Promise<IntegrationConfig> {
  const read = readNotionConnectionInput(input)
  if (!read.ok) throw read.error
  const checked = await checkNotionConnection(deps.makeClient(read.value.token), read.value)
  if (!checked.ok) throw checked.error
  const destination = checked.value
  const credentials = { token: read.value.token, databaseId: destination.databaseId, dataSourceId: destination.dataSourceId }
  return deps.db.$transaction(async (tx) => {
    await lockLibrary(tx, userId)
    const saved = await saveNotionIntegration(tx, deps.cipher, userId, credentials, destination.databaseTitle)
    // Records of another database point at pages that are not in this one.
    if (saved.destinationChanged) await tx.syncRecord.deleteMany({ where: { userId, targetName: NOTION_TARGET } })
    const queued = await queueCatchUp(tx, userId, NOTION_TARGET)
    deps.logger.info({ integrationId: saved.integration.id, ...queued }, 'integration connected')
    return saved.integration
  }, CATCH_UP_TX)
}
