// The properties a notebook's page fills in the user's Notion database: the title (the notebook's name) and UUID, Path, Tags, Pages, Last Synced and
// Status. Each is filled where the database has it; a database we create has them all.
import type { CreateDatabaseParameters } from '@notionhq/client'

export type NotionPropertyType = 'title' | 'rich_text' | 'multi_select' | 'number' | 'date' | 'select'

export interface ExpectedNotionProperty {
  /** The property name we look for; the title property may have any name (found by type). */
  name: string
  type: NotionPropertyType
  /** For selects: the options the sync writes. */
  options?: readonly string[]
}

export const STATUS_OPTIONS = ['Synced', 'Pending', 'Error', 'Source deleted'] as const

export const TITLE_PROPERTY_NAME = 'Name'

export const EXPECTED_NOTION_PROPERTIES: readonly ExpectedNotionProperty[] = [
  { name: TITLE_PROPERTY_NAME, type: 'title' },
  { name: 'UUID', type: 'rich_text' },
  { name: 'Path', type: 'rich_text' },
  { name: 'Tags', type: 'multi_select' },
  { name: 'Pages', type: 'number' },
  { name: 'Last Synced', type: 'date' },
  { name: 'Status', type: 'select', options: STATUS_OPTIONS },
]

const STATUS_COLORS: Record<(typeof STATUS_OPTIONS)[number], 'green' | 'yellow' | 'red' | 'gray'> = {
  Synced: 'green',
  Pending: 'yellow',
  Error: 'red',
  'Source deleted': 'gray',
}

type DatabaseSchemaRequest = NonNullable<CreateDatabaseParameters['initial_data_source']>['properties']

/** The `initial_data_source.properties` of databases.create for a database made for the user. */
export function makeNotionDatabaseSchema(): NonNullable<DatabaseSchemaRequest> {
  return {
    [TITLE_PROPERTY_NAME]: { title: {} },
    UUID: { rich_text: {} },
    Path: { rich_text: {} },
    Tags: { multi_select: { options: [] } },
    Pages: { number: { format: 'number' } },
    'Last Synced': { date: {} },
    Status: { select: { options: STATUS_OPTIONS.map((name) => ({ name, color: STATUS_COLORS[name] })) } },
  }
}

export interface NotionPropertyCheck {
  name: string
  expectedType: NotionPropertyType
  /** The type the data source has under that name (the title: whatever its name), or null. */
  foundType: string | null
  /** The name it was found under (differs from `name` only for the title). */
  foundName: string | null
  /** Present with the expected type (select options are not compared). */
  matches: boolean
}

/** Compares a data source's `properties` (as Notion answers them) with what the sync fills. */
export function checkNotionDatabaseProperties(properties: Record<string, { type?: string } | undefined>): NotionPropertyCheck[] {
  return EXPECTED_NOTION_PROPERTIES.map((expected) => {
    let foundName: string | null = null
    if (expected.type === 'title') {
      foundName = Object.entries(properties).find(([, p]) => p?.type === 'title')?.[0] ?? null
    } else if (properties[expected.name]) {
      foundName = expected.name
    }
    const foundType = foundName === null ? null : (properties[foundName]?.type ?? null)
    return { name: expected.name, expectedType: expected.type, foundType, foundName, matches: foundType === expected.type }
  })
}

/** Names of expected properties a data source lacks or holds with another type. */
export function listMissingNotionProperties(properties: Record<string, { type?: string } | undefined>): string[] {
  return checkNotionDatabaseProperties(properties).filter((c) => !c.matches).map((c) => c.name)
}
