// The explicit list of tasks this worker runs (identifier → handler). One idempotent action each.
import type { TaskList } from 'graphile-worker'
import type { ExtractDeps } from '../../server/extraction/extractPage.ts'
import { makeExtractPageTask } from './extract_page.ts'
import { makeResumeOcrQuotaTask } from './resume_ocr_quota.ts'
import type { OcrQuotaSettings } from '../../server/quota/index.ts'
import { makeSyncNotebookTask } from './sync_notebook.ts'
import { makeCleanupNotebookTask } from './cleanup_notebook.ts'
import { makeProbeIntegrationTask } from './probe_integration.ts'
import type { SyncDeps } from '../../server/sync/syncDeps.ts'

export interface WorkerDeps extends ExtractDeps {
  retryBaseMs: number
  /** OCR plans and period (config.ocr.quota). */
  ocrQuota: OcrQuotaSettings
  /** First look at a target that stopped answering (then growing). */
  probeDelayMs: number
  sync: SyncDeps
}

export function makeTaskList(deps: WorkerDeps): TaskList {
  return {
    extract_page: makeExtractPageTask(deps, { backoffBaseMs: deps.retryBaseMs, ocrQuota: deps.ocrQuota }),
    resume_ocr_quota: makeResumeOcrQuotaTask(deps),
    sync_notebook: makeSyncNotebookTask(deps.sync, { backoffBaseMs: deps.retryBaseMs, probeDelayMs: deps.probeDelayMs }),
    probe_integration: makeProbeIntegrationTask(deps.sync, { baseDelayMs: deps.probeDelayMs }),
    cleanup_notebook: makeCleanupNotebookTask(deps.sync, { backoffBaseMs: deps.retryBaseMs }),
  }
}
