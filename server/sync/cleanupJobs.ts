// The cleanup_notebook job of a deleted notebook at one integration (its target copy is trashed or
// marked "Source deleted"), keyed so a second deletion report joins the first.
import type { DbTx } from '../db.ts'
import { addJob } from '../jobs/addJob.ts'

export function makeCleanupJobKey(integrationId: number, notebookUuid: string): string {
  return `cleanup_notebook:${integrationId}:${notebookUuid}`
}

export async function addCleanupJob(tx: DbTx, integrationId: number, notebookUuid: string): Promise<void> {
  await addJob(tx, 'cleanup_notebook', { integrationId, notebookUuid }, { jobKey: makeCleanupJobKey(integrationId, notebookUuid) })
}
