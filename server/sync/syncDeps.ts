// What the sync engine's jobs need: the database, the key that opens credentials, and the targets
// (built where the process starts: worker/syncTargets.ts).
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { ConfigCipher } from '../crypto/configCipher.ts'
import type { SyncTargets } from './syncTarget.ts'

export interface SyncDeps {
  db: Db
  cipher: ConfigCipher
  logger: Logger
  targets: SyncTargets
  now?: () => Date
}

/** What one job run did, for its log line and what the task does next. */
export type SyncRunOutcome =
  | { kind: 'done'; requests: number; succeeded: number; failed: number }
  | { kind: 'dry_run'; requests: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'retry'; delayMs: number; reason: string; requests: number }
  | { kind: 'failed'; reason: string; requests: number; transient?: boolean }
