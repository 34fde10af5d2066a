// Connecting Readwise: the token is checked against Readwise's auth endpoint, stored encrypted, and
// everything not yet synced is queued (the same catch-up as Notion's).
import type { ConfigCipher } from '../crypto/configCipher.ts'
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'
import { lockLibrary } from '../lockLibrary.ts'
import { queueCatchUp } from '../sync/catchUp.ts'
import { CATCH_UP_TX } from '../sync/integrationActions.ts'
import type { ReadwiseClient } from './readwiseClient.ts'
import { checkReadwiseToken } from './readwiseConnection.ts'
import { readReadwiseToken, saveReadwiseIntegration } from './readwiseIntegration.ts'
import { READWISE_TARGET } from './readwiseModel.ts'

export interface ConnectReadwiseEnv {
  db: Db
  cipher: ConfigCipher
  logger: Logger
  makeClient: (token: string) => ReadwiseClient
}

export async function connectReadwise(env: ConnectReadwiseEnv, userId: number, rawToken: string): Promise<IntegrationConfig> {
  const token = readReadwiseToken(rawToken)
  if (!token.ok) throw token.error
  const checked = await checkReadwiseToken(env.makeClient(token.value))
  if (!checked.ok) throw checked.error
  return env.db.$transaction(async (tx) => {
    await lockLibrary(tx, userId)
    const integration = await saveReadwiseIntegration(tx, env.cipher, userId, { token: token.value })
    const queued = await queueCatchUp(tx, userId, READWISE_TARGET)
    env.logger.info({ integrationId: integration.id, ...queued }, 'integration connected')
    return integration
  }, CATCH_UP_TX)
}
