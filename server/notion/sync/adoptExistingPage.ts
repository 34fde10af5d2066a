// A notebook's first sync to a database: the database may already hold its page, made by the Python
// rmirror-cloud service (a `UUID` property equal to the notebook's uuid) or by an earlier connection
// whose records were cleared. Such a page is looked for once, by that property, and adopted rather
// than duplicated: its body is cleared, so our sections are written under our layout, and its
// properties are rewritten with ours at the end of the run.
import { SyncCallError } from './notionPort.ts'
import { readAllChildren, type NotebookRun } from './notebookRun.ts'

/** Adopts the notebook's page found in the database; false when there is none (or no way to look). */
export async function adoptExistingPage(run: NotebookRun): Promise<boolean> {
  const { env, model, result } = run
  const dataSourceId = env.destination.dataSourceId ?? env.schema.dataSourceId
  if (!env.schema.present.includes('UUID') || !dataSourceId) return false
  // Reads go to Notion even in a dry run (its plan then shows the adoption it would do).
  const reader = env.reader ?? env.port
  result.requests++
  const [found] = await reader.queryByUuid(dataSourceId, 'UUID', model.notebook.uuid)
  if (!found) return false
  // Everything on the page is someone else's layout: removed, so nothing of it sits among our sections.
  // A crash in the middle leaves the search undone: the next run finds the page again and goes on.
  for (const block of await readAllChildren(run, reader, found.id)) {
    try {
      result.requests++
      await env.port.deleteBlock(block.id)
    } catch (error) {
      const e = error as SyncCallError
      if (e.kind !== 'not_found' && e.kind !== 'archived') throw e
    }
  }
  env.logger.info({ notebookUuid: model.notebook.uuid, pageId: found.id }, 'adopted the notebook page found in the database by its UUID')
  Object.assign(model.state, { pageId: found.id, anchorId: null, sections: [], intent: null, propertiesHash: null, lookedForPage: true })
  for (const s of model.sections.values()) s.blocks = []
  await env.store.saveNotebook(model)
  return true
}
