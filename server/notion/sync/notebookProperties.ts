// The notebook page's properties, filled where the database has them: title = notebook name, UUID,
// Path, Tags, Pages, Last Synced, Status. The schema is read from Notion once and cached on the
// integration (target_state), refreshed when a property write is refused.
import { createHash } from 'node:crypto'
import { checkNotionDatabaseProperties } from '../databaseProperties.ts'

export interface NotionSchema {
  titleProperty: string
  /** Expected property names present with the expected type. */
  present: string[]
  dataSourceId: string
}

export function readSchemaFromProperties(dataSourceId: string, properties: Record<string, { type?: string }>): NotionSchema {
  const checks = checkNotionDatabaseProperties(properties)
  const title = checks.find((c) => c.expectedType === 'title')
  return {
    dataSourceId,
    titleProperty: title?.foundName ?? 'Name',
    present: checks.filter((c) => c.matches && c.expectedType !== 'title').map((c) => c.name),
  }
}

export type NotebookStatus = 'Synced' | 'Pending' | 'Error' | 'Source deleted'

export interface NotebookFacts {
  uuid: string
  visibleName: string
  folderPath: string
  tags: string[]
  pageCount: number
}

const text = (content: string) => [{ type: 'text', text: { content: content.slice(0, 2000) } }]

export function makeNotebookProperties(schema: NotionSchema, facts: NotebookFacts, status: NotebookStatus, syncedAt: Date | null): Record<string, unknown> {
  const has = new Set(schema.present)
  const props: Record<string, unknown> = { [schema.titleProperty]: { title: text(facts.visibleName) } }
  if (has.has('UUID')) props.UUID = { rich_text: text(facts.uuid) }
  if (has.has('Path')) props.Path = { rich_text: text(facts.folderPath) }
  // Commas are not allowed in option names; tags keep their words.
  if (has.has('Tags')) props.Tags = { multi_select: [...new Set(facts.tags.map((t) => t.replace(/,/g, ' ').trim().slice(0, 100)).filter(Boolean))].slice(0, 100).map((name) => ({ name })) }
  if (has.has('Pages')) props.Pages = { number: facts.pageCount }
  if (has.has('Status')) props.Status = { select: { name: status } }
  if (has.has('Last Synced') && syncedAt) props['Last Synced'] = { date: { start: syncedAt.toISOString() } }
  return props
}

/** What decides whether the properties must be written again (the time of the sync is not part of it). */
export function hashNotebookFacts(facts: NotebookFacts, status: NotebookStatus): string {
  return createHash('sha256').update(JSON.stringify([facts.uuid, facts.visibleName, facts.folderPath, [...facts.tags].sort(), facts.pageCount, status])).digest('hex')
}
