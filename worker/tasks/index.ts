// The explicit list of tasks this worker runs (identifier → handler). One idempotent action each.
import type { TaskList } from 'graphile-worker'

export function makeTaskList(): TaskList {
  return {}
}
