// The sync targets this worker runs jobs for, by target_name (server/sync/syncTarget.ts says how to
// add one). The sync engine dispatches on the integration's target.
import type { Config } from '../server/config.ts'
import type { Db } from '../server/db.ts'
import type { SyncTargets } from '../server/sync/syncTarget.ts'
import { makeNotionPacer } from '../server/notion/pacer.ts'
import { makeNotionSyncTarget } from '../server/notion/notionSyncTarget.ts'
import { makeReadwiseSyncTarget } from '../server/readwise/readwiseSyncTarget.ts'
import { makeReadwisePace, makeReadwisePacer } from '../server/readwise/readwisePace.ts'

export function makeSyncTargets(config: Config, db: Db): SyncTargets {
  const notion = makeNotionSyncTarget({
    pacer: makeNotionPacer(db, { requestsPerSecond: config.notionRequestsPerSecond, burst: config.notionRequestBurst }),
    baseUrl: config.notionApiBaseUrl,
  })
  const readwise = makeReadwiseSyncTarget({
    pacer: makeReadwisePacer(db, makeReadwisePace(config.readwiseRequestsPerMinute)),
    baseUrl: config.readwiseApiBaseUrl,
    publicUrl: config.publicUrl,
  })
  return { [notion.targetName]: notion, [readwise.targetName]: readwise }
}
