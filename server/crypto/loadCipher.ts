// The integration-config cipher a process makes once at start, server and worker alike:
// INTEGRATION_MASTER_KEY (one key or "new,old,…") when set; otherwise, outside production, the key
// kept in <dataDir>/master.key (generated on first use, owner-only). Logs say where the key came
// from and its fingerprints, never the key.
import { ConfigError, type Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { makeConfigCipher, type ConfigCipher } from './configCipher.ts'
import { MASTER_KEY_ENV, parseMasterKeys } from './keys.ts'
import { describeMasterKeyFile, loadOrCreateMasterKeyFile } from './masterKeyFile.ts'

export type CipherSource = { kind: 'environment' } | { kind: 'file'; path: string; created: boolean }

export interface LoadedCipher {
  cipher: ConfigCipher
  source: CipherSource
}

/** Throws ConfigError naming INTEGRATION_MASTER_KEY (never its value) or MasterKeyFileError. */
export function loadConfigCipher(config: Pick<Config, 'integrationMasterKey' | 'production' | 'dataDir'>, logger?: Logger): LoadedCipher {
  if (config.integrationMasterKey !== undefined) {
    const parsed = parseMasterKeys(config.integrationMasterKey, MASTER_KEY_ENV)
    if (!parsed.ok) throw new ConfigError(MASTER_KEY_ENV, parsed.error.message.replace(`${MASTER_KEY_ENV} `, ''))
    const cipher = makeConfigCipher(parsed.keys)
    logger?.info({ keyFingerprints: cipher.fingerprints }, `integration master key${cipher.fingerprints.length > 1 ? 's' : ''} from ${MASTER_KEY_ENV}`)
    return { cipher, source: { kind: 'environment' } }
  }
  if (config.production) throw new ConfigError(MASTER_KEY_ENV, 'is required in production (NODE_ENV=production)')
  const file = loadOrCreateMasterKeyFile(config.dataDir)
  const parsed = parseMasterKeys(file.key, file.path)
  // loadOrCreateMasterKeyFile has validated the file; this only narrows the type.
  if (!parsed.ok) throw new ConfigError(MASTER_KEY_ENV, parsed.error.message)
  const cipher = makeConfigCipher(parsed.keys)
  logger?.[file.created ? 'warn' : 'info']({ keyFile: file.path, keyFingerprints: cipher.fingerprints }, describeMasterKeyFile(file))
  return { cipher, source: { kind: 'file', path: file.path, created: file.created } }
}
