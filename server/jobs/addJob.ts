// Adds a graphile-worker job with SQL, inside the caller's transaction, so a change and its job
// commit together (or neither does). Payloads carry ids only.
import type { DbTx } from '../db.ts'

export interface AddJobOptions {
  /** Jobs with the same key replace a pending one (rapid re-uploads collapse into one run). */
  jobKey?: string
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe'
  runAt?: Date
  maxAttempts?: number
  priority?: number
  queueName?: string
}

export async function addJob(tx: DbTx, identifier: string, payload: Record<string, string | number | boolean | null>, options: AddJobOptions = {}): Promise<void> {
  await tx.$executeRaw`select graphile_worker.add_job(
    identifier => ${identifier},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${options.queueName ?? null},
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? null}::int,
    job_key => ${options.jobKey ?? null},
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${options.jobKeyMode ?? null}
  )`
}
