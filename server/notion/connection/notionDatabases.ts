// For the dashboard's picker: the databases (and their data sources) a token can see, and a database
// made for the user with the properties the sync fills.
import { isFullDatabase, isFullDataSource, type Client, type DataSourceObjectResponse } from '@notionhq/client'
import { ValidationError } from '../../errors.ts'
import { listMissingNotionProperties, makeNotionDatabaseSchema } from '../databaseProperties.ts'
import { NotionCapabilityMissingError, type NotionFailure } from './notionErrors.ts'
import { classifyNotionError, type NotionCallSubject } from './notionFailure.ts'
import { plainText, readNotionId } from './notionConnection.ts'
import type { Outcome } from '../../outcome.ts'

export interface NotionDataSourceSummary {
  id: string
  name: string
  /** Expected properties it lacks (or holds with another type); the sync fills only those present. */
  missingProperties: string[]
}

export interface NotionDatabaseSummary {
  id: string
  title: string
  url: string | null
  dataSources: NotionDataSourceSummary[]
}

// Search answers 100 per page; a picker needs no more than a few pages, and each is one paced request.
const MAX_SEARCH_PAGES = 5
export const DEFAULT_DATABASE_TITLE = 'reMarkable notebooks'

/** Search for data sources, grouped by database; titles of multi-source databases cost one request each. */
export async function findNotionDatabases(client: Client): Promise<Outcome<NotionDatabaseSummary[], NotionFailure>> {
  const byDatabase = new Map<string, { sources: DataSourceObjectResponse[] }>()
  try {
    let cursor: string | undefined
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const answer = await client.search({ filter: { property: 'object', value: 'data_source' }, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) })
      for (const result of answer.results) {
        if (result.object !== 'data_source' || !isFullDataSource(result) || result.parent.type !== 'database_id') continue
        const databaseId = result.parent.database_id
        const entry = byDatabase.get(databaseId) ?? { sources: [] }
        entry.sources.push(result)
        byDatabase.set(databaseId, entry)
      }
      if (!answer.has_more || !answer.next_cursor) break
      cursor = answer.next_cursor
    }
    const databases: NotionDatabaseSummary[] = []
    for (const [id, { sources }] of byDatabase) {
      let title = plainText(sources[0].title)
      let url: string | null = null
      if (sources.length > 1) {
        // A data source's title is its own; the database's is elsewhere.
        const database = await client.databases.retrieve({ database_id: id }).catch((error) => (classifyNotionError(error) ? null : Promise.reject(error)))
        if (database && isFullDatabase(database)) {
          title = plainText(database.title) || title
          url = database.url
        }
      }
      databases.push({
        id,
        title,
        url,
        dataSources: sources.map((s) => ({ id: s.id, name: plainText(s.title), missingProperties: listMissingNotionProperties(s.properties) })),
      })
    }
    databases.sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    return { ok: true, value: databases }
  } catch (error) {
    return failWith(error, {})
  }
}

export async function createNotionDatabase(
  client: Client,
  input: { parentPageId: string; title?: string | null },
): Promise<Outcome<NotionDatabaseSummary, NotionFailure | ValidationError>> {
  const parent = readNotionId(input.parentPageId, 'parentPageId', 'page')
  if (!parent.ok) return parent
  const title = (input.title ?? '').trim() || DEFAULT_DATABASE_TITLE
  if (title.length > 200) return { ok: false, error: new ValidationError('Use a title of at most 200 characters', 'title') }
  let database
  try {
    database = await client.databases.create({
      parent: { type: 'page_id', page_id: parent.value },
      title: [{ type: 'text', text: { content: title } }],
      initial_data_source: { properties: makeNotionDatabaseSchema() },
    })
  } catch (error) {
    return failWith(error, { pageId: parent.value })
  }
  // Without the read capability the answer is { object, id } only.
  if (!isFullDatabase(database)) return { ok: false, error: new NotionCapabilityMissingError() }
  return {
    ok: true,
    value: {
      id: database.id,
      title: plainText(database.title),
      url: database.url,
      dataSources: database.data_sources.map((s) => ({ id: s.id, name: s.name, missingProperties: [] })),
    },
  }
}

function failWith(error: unknown, subject: NotionCallSubject): { ok: false; error: NotionFailure } {
  const failure = classifyNotionError(error, subject)
  if (!failure) throw error
  return { ok: false, error: failure }
}
