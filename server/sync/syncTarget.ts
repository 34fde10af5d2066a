// What a sync target (Notion; Readwise and Markdown next) implements for the sync engine.
//
// The engine (server/sync/) owns everything that is the same for every target: the jobs
// (sync_notebook, cleanup_notebook, probe_integration), their keys and queues, retries with backoff,
// giving up, the probe that queues items again once the target answers, the status of the sync
// records of work still open, dry-run previews (sync_previews) and catch-up. It reaches a target only
// through this interface, dispatching on the integration's target_name. A target owns its
// credentials, its client and pacing, and what it remembers about its copies (in its sync records'
// external_id and metadata_json, and the integration's target_state).
//
// Adding a target (say Readwise):
//  1. server/sync/targets.ts: the item types it takes (TARGET_ITEM_TYPES) and, if the API shows it,
//     its IntegrationTarget enum value (INTEGRATION_TARGETS).
//  2. server/<target>/<target>SyncTarget.ts: `make<Target>SyncTarget(deps): SyncTarget`. It imports
//     from server/sync/ (these types, fingerprints, notifyEvents…) but server/sync/ never imports it.
//  3. worker/syncTargets.ts: one line in makeSyncTargets, so the worker's jobs find it.
//  4. Tests against a fake of the service in test/fakes/, through the engine (runSync, runCleanup,
//     probeIntegration) with `targets: { <name>: make<Target>SyncTarget(…) }` in its SyncDeps.
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import type { ConfigCipher } from '../crypto/configCipher.ts'
import type { AppError } from '../errors.ts'
import type { IntegrationConfig } from '../generated/prisma/client.ts'

/** What the engine needs to know about a failure, to retry, give up, or call the copy gone. */
export interface SyncFailure {
  message: string
  /** Worth retrying by itself (rate limit, target down, network); otherwise it waits for the user. */
  transient: boolean
  /** The target asked us to wait this long (Retry-After). */
  retryAfterMs?: number
  /** The target's copy no longer exists (deleted or trashed there): nothing left to clean up. */
  gone?: boolean
}

/** A request a dry run would have sent, kept as the notebook's preview (the syncPreview query). */
export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET'
  path: string
  body?: unknown
}

/** The non-secret settings every integration has (the settings column). */
export interface TargetSettings {
  /** Plan and record what would be sent; send nothing. */
  dryRun: boolean
  /** Delete a deleted notebook's copy at the target (otherwise it is marked as deleted at the source). */
  cleanUpOnDelete: boolean
}

/** What a target gets when the engine opens an integration for one job. */
export interface TargetContext {
  db: Db
  cipher: ConfigCipher
  logger: Logger
  now: () => Date
  integration: IntegrationConfig
  settings: TargetSettings
}

export interface SyncTarget {
  /** The target_name stored in integration_configs and sync_records. */
  readonly targetName: string
  /** The name users know it by, in messages ("retried by itself once Notion answers"). */
  readonly displayName: string
  /** Opens the integration's stored credentials; a typed error (shown as the failure) when they cannot be used. */
  connect(context: TargetContext): { ok: true; value: TargetConnection } | { ok: false; error: AppError }
  /**
   * What an error thrown by `plan`/`apply`/`preview` means. Rethrows what it does not recognise (a
   * bug): the job then fails loudly instead of being marked on the user's items.
   */
  classifyError(error: unknown): SyncFailure
}

/** One integration opened for one job. */
export interface TargetConnection {
  /** Plan: what one notebook should be at the target, read from our database. null: the notebook is gone. */
  planNotebook(notebookId: number): Promise<NotebookPlan | null>
  /** Clean up: a deleted notebook's copy is removed (or marked), from what its tombstone kept for this target. */
  cleanUpNotebook(copy: DeletedCopy): Promise<CleanupResult>
  /** Recover: a light request to see whether the target answers again. null: it does. */
  probe(): Promise<SyncFailure | null>
}

export interface NotebookPlan {
  notebookUuid: string
  /**
   * Apply: make the target match the plan, touching only what changed, and record each item's
   * outcome in sync_records. A write left in flight by an earlier run that stopped is recovered
   * (found and adopted, never sent twice). Throws on failures (see classifyError); the engine marks
   * the notebook's open items.
   */
  apply(): Promise<AppliedNotebook>
  /** Dry run: the requests `apply` would send, sending none that change anything; records no outcome. */
  preview(): Promise<PlannedRequest[]>
}

export interface AppliedNotebook {
  /** Requests sent. */
  requests: number
  /** Items recorded as delivered / as failed. */
  succeeded: number
  failed: number
}

export interface DeletedCopy {
  notebookUuid: string
  /** What the tombstone kept for this target (notebook_tombstones.external_ids[targetName]), if anything. */
  externalIds: { notebook?: string | null; metadata?: unknown; items?: number } | null
}

/** Expected failures are values here: the engine retries, gives up, or treats a gone copy as cleaned. */
export interface CleanupResult {
  requests: number
  failure?: SyncFailure
}

/** The targets the worker knows, by target_name. */
export type SyncTargets = Readonly<Record<string, SyncTarget>>
