// Checks a Notion connection: the input is well-formed, the token works, the database is shared with
// the integration, one data source is chosen, and which of the expected properties it has. Outcomes
// are values: { ok: true, value } or { ok: false, error } with an error the user can act on.
import { extractNotionId, isFullDatabase, isFullDataSource, type Client } from '@notionhq/client'
import { ValidationError } from '../../errors.ts'
import type { Outcome } from '../../outcome.ts'
import { checkNotionDatabaseProperties, type NotionPropertyCheck } from '../databaseProperties.ts'
import { NotionMultipleDataSourcesError, NotionCapabilityMissingError, type NotionFailure } from './notionErrors.ts'
import { classifyNotionError } from './notionFailure.ts'


export interface NotionConnectionInput {
  token: string
  databaseId: string
  dataSourceId: string | null
}

export interface NotionDestination {
  databaseId: string
  dataSourceId: string
  databaseTitle: string
  properties: NotionPropertyCheck[]
}

const MAX_TOKEN_LENGTH = 500
const MAX_ID_INPUT_LENGTH = 2000
// Tokens are printable ASCII without spaces ("ntn_…", "secret_…").
const TOKEN_SHAPE = /^[\x21-\x7e]+$/

/** Checks a token's shape; the message never repeats it. */
export function readNotionToken(raw: string, field: string): Outcome<string, ValidationError> {
  const token = raw.trim()
  if (token === '') return { ok: false, error: new ValidationError('Paste the Notion integration token', field) }
  if (token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token))
    return { ok: false, error: new ValidationError('That does not look like a Notion integration token (no spaces, at most 500 characters)', field) }
  return { ok: true, value: token }
}

/** A Notion id as given: a UUID with or without dashes, or a notion.so link holding one. */
export function readNotionId(raw: string, field: string, what: string): Outcome<string, ValidationError> {
  const id = raw.length <= MAX_ID_INPUT_LENGTH ? extractNotionId(raw) : null
  if (!id) return { ok: false, error: new ValidationError(`Give the ${what} id (32 hexadecimal digits) or its Notion link`, field) }
  return { ok: true, value: id }
}

export function readNotionConnectionInput(
  input: { token: string; databaseId: string; dataSourceId?: string | null },
  fieldPrefix = 'notion',
): Outcome<NotionConnectionInput, ValidationError> {
  const token = readNotionToken(input.token, `${fieldPrefix}.token`)
  if (!token.ok) return token
  const databaseId = readNotionId(input.databaseId, `${fieldPrefix}.databaseId`, 'database')
  if (!databaseId.ok) return databaseId
  let dataSourceId: string | null = null
  if (input.dataSourceId != null && input.dataSourceId.trim() !== '') {
    const read = readNotionId(input.dataSourceId, `${fieldPrefix}.dataSourceId`, 'data source')
    if (!read.ok) return read
    dataSourceId = read.value
  }
  return { ok: true, value: { token: token.value, databaseId: databaseId.value, dataSourceId } }
}

/**
 * Two requests: databases.retrieve (token, sharing, data sources) and dataSources.retrieve (the schema).
 * Unexpected failures (a bug, a Notion change) throw.
 */
export async function checkNotionConnection(
  client: Client,
  target: { databaseId: string; dataSourceId: string | null },
  fieldPrefix = 'notion',
): Promise<Outcome<NotionDestination, NotionFailure | ValidationError>> {
  const { databaseId } = target
  let database
  try {
    database = await client.databases.retrieve({ database_id: databaseId })
  } catch (error) {
    return failWith(error, { databaseId })
  }
  // Without the read capability Notion answers with only { object, id }.
  if (!isFullDatabase(database)) return { ok: false, error: new NotionCapabilityMissingError() }
  const sources = database.data_sources.map((s) => ({ id: s.id, name: s.name }))
  let dataSourceId = target.dataSourceId
  if (dataSourceId !== null) {
    if (!sources.some((s) => s.id === dataSourceId))
      return { ok: false, error: new ValidationError(`That data source is not in this database; it holds: ${sources.map((s) => s.name || s.id).join(', ')}`, `${fieldPrefix}.dataSourceId`) }
  } else if (sources.length === 1) {
    dataSourceId = sources[0].id
  } else if (sources.length > 1) {
    return { ok: false, error: new NotionMultipleDataSourcesError(databaseId, sources) }
  } else {
    return { ok: false, error: new ValidationError('This Notion database has no data source to sync into', `${fieldPrefix}.databaseId`) }
  }
  let source
  try {
    source = await client.dataSources.retrieve({ data_source_id: dataSourceId })
  } catch (error) {
    return failWith(error, { databaseId })
  }
  if (!isFullDataSource(source)) return { ok: false, error: new NotionCapabilityMissingError() }
  return {
    ok: true,
    value: {
      databaseId: database.id,
      dataSourceId: source.id,
      databaseTitle: plainText(database.title),
      properties: checkNotionDatabaseProperties(source.properties),
    },
  }
}

export function plainText(items: readonly { plain_text: string }[]): string {
  return items.map((t) => t.plain_text).join('')
}

function failWith(error: unknown, subject: { databaseId: string }): { ok: false; error: NotionFailure } {
  const failure = classifyNotionError(error, subject)
  if (!failure) throw error
  return { ok: false, error: failure }
}
