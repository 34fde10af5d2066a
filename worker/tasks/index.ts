// The explicit list of tasks this worker runs (identifier → handler). One idempotent action each.
import type { TaskList } from 'graphile-worker'
import type { ExtractDeps } from '../../server/extraction/extractPage.ts'
import { makeExtractPageTask } from './extract_page.ts'

export interface WorkerDeps extends ExtractDeps {
  retryBaseMs: number
}

export function makeTaskList(deps: WorkerDeps): TaskList {
  return {
    extract_page: makeExtractPageTask(deps, { backoffBaseMs: deps.retryBaseMs }),
  }
}
