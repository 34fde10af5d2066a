import { makeShortId } from './ids.ts'
import {
  atIndex,
  atKey,
  checkArray,
  checkEnum,
  checkKnownKeys,
  checkObject,
  checkString,
  invalid,
  issueOneOf,
  issueText,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from './validate.ts'

// Data source schemas: the property configurations of databases.create (initial_data_source) and
// dataSources.update, for the property types the fake models.

export const PROPERTY_TYPES = [
  'title', 'rich_text', 'number', 'select', 'multi_select', 'date', 'checkbox', 'url', 'email', 'phone_number',
] as const
export type PropertyType = (typeof PROPERTY_TYPES)[number]

const NOTION_ONLY_PROPERTY_TYPES = [
  'formula', 'status', 'relation', 'rollup', 'unique_id', 'people', 'files', 'created_by', 'created_time',
  'last_edited_by', 'last_edited_time', 'button', 'location', 'verification', 'last_visited_time', 'place',
]

export const SELECT_COLORS = [
  'default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red',
] as const

export interface SelectOption {
  id: string
  name: string
  color: string
  description: string | null
}

export interface PropertySchema {
  id: string
  name: string
  type: PropertyType
  description: string | null
  /** Response-shaped config: { options } for selects, { format } for numbers, {} otherwise. */
  config: Json
}

function isPropertyType(value: unknown): value is PropertyType {
  return typeof value === 'string' && (PROPERTY_TYPES as readonly string[]).includes(value)
}

interface ConfigDraft {
  type: PropertyType
  config: Json
  description: string | null
  name?: string
}

function checkPropertyConfig(value: unknown, path: string, allowRename: boolean): Checked<ConfigDraft | { renameOnly: string }> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = value as Json
  const typeKey = (obj.type as string | undefined) ??
    Object.keys(obj).find((k) => isPropertyType(k) || NOTION_ONLY_PROPERTY_TYPES.includes(k))
  if (typeKey === undefined && allowRename && typeof obj.name === 'string') {
    const keysIssue = checkKnownKeys(obj, ['name', 'description'], path)
    return keysIssue ? invalid(keysIssue) : valid({ renameOnly: obj.name })
  }
  if (typeof typeKey === 'string' && NOTION_ONLY_PROPERTY_TYPES.includes(typeKey)) {
    return invalid(issueText(`${atKey(path, typeKey)} is a property type the local Notion fake does not support.`))
  }
  if (!isPropertyType(typeKey)) return invalid(issueOneOf(PROPERTY_TYPES.map((t) => issueUndefined(atKey(path, t)))))
  const keysIssue = checkKnownKeys(obj, ['type', 'description', typeKey, ...(allowRename ? ['name'] : [])], path)
  if (keysIssue) return invalid(keysIssue)
  const descriptionIssue = checkString(obj.description, atKey(path, 'description'), { optional: true, nullable: true })
  if (descriptionIssue) return invalid(descriptionIssue)
  const configPath = atKey(path, typeKey)
  const configIssue = checkObject(obj[typeKey], configPath)
  if (configIssue) return invalid(configIssue)
  const config = obj[typeKey] as Json
  let shaped: Json = {}
  if (typeKey === 'number') {
    const issue = checkKnownKeys(config, ['format'], configPath) ?? checkString(config.format, atKey(configPath, 'format'), { optional: true })
    if (issue) return invalid(issue)
    shaped = { format: (config.format as string | undefined) ?? 'number' }
  } else if (typeKey === 'select' || typeKey === 'multi_select') {
    const options = checkOptionConfigs(config, configPath)
    if (!options.ok) return options
    shaped = { options: options.value }
  } else {
    const issue = checkKnownKeys(config, [], configPath)
    if (issue) return invalid(issue)
  }
  const draft: ConfigDraft = { type: typeKey, config: shaped, description: (obj.description as string | null | undefined) ?? null }
  if (typeof obj.name === 'string') draft.name = obj.name
  return valid(draft)
}

function checkOptionConfigs(config: Json, path: string): Checked<SelectOption[]> {
  const keysIssue = checkKnownKeys(config, ['options'], path)
  if (keysIssue) return invalid(keysIssue)
  if (config.options === undefined) return valid([])
  const optionsPath = atKey(path, 'options')
  const arrayIssue = checkArray(config.options, optionsPath, 100)
  if (arrayIssue) return invalid(arrayIssue)
  const options: SelectOption[] = []
  for (const [i, raw] of (config.options as unknown[]).entries()) {
    const optionPath = atIndex(optionsPath, i)
    const objectIssue = checkObject(raw, optionPath)
    if (objectIssue) return invalid(objectIssue)
    const option = raw as Json
    const issue =
      checkKnownKeys(option, ['name', 'color', 'description'], optionPath) ??
      checkString(option.name, atKey(optionPath, 'name'), { maxLength: 100 }) ??
      checkEnum(option.color, SELECT_COLORS, atKey(optionPath, 'color'), true)
    if (issue) return invalid(issue)
    options.push({
      id: makeShortId(),
      name: option.name as string,
      color: (option.color as string | undefined) ?? 'default',
      description: (option.description as string | null | undefined) ?? null,
    })
  }
  return valid(options)
}

/** initial_data_source.properties of databases.create: exactly one title property. */
export function checkSchema(properties: unknown, path: string): Checked<PropertySchema[]> {
  if (properties === undefined) {
    return valid([{ id: 'title', name: 'Name', type: 'title', description: null, config: {} }])
  }
  const objectIssue = checkObject(properties, path)
  if (objectIssue) return invalid(objectIssue)
  const schema: PropertySchema[] = []
  for (const [name, raw] of Object.entries(properties as Json)) {
    const draft = checkPropertyConfig(raw, atKey(path, name), false)
    if (!draft.ok) return draft
    const config = draft.value as ConfigDraft
    schema.push({
      id: config.type === 'title' ? 'title' : makeShortId(),
      name,
      type: config.type,
      description: config.description,
      config: config.config,
    })
  }
  const titles = schema.filter((p) => p.type === 'title').length
  // Real wording for a schema without exactly one title property is not documented.
  if (titles !== 1) return invalid(issueText(`${path} should have exactly one title property, instead had ${titles}.`))
  return valid(schema)
}

/** dataSources.update properties: add (config), rename ({ name }), change type, or remove (null). */
export function checkSchemaUpdate(properties: unknown, schema: PropertySchema[], path: string): Checked<PropertySchema[]> {
  const objectIssue = checkObject(properties, path)
  if (objectIssue) return invalid(objectIssue)
  let next = schema.map((p) => ({ ...p, config: structuredClone(p.config) }))
  for (const [key, raw] of Object.entries(properties as Json)) {
    const keyPath = atKey(path, key)
    const existing = next.find((p) => p.name === key || p.id === key)
    if (raw === null) {
      if (!existing) return invalid(issueText(`${key} is not a property that exists.`))
      if (existing.type === 'title') return invalid(issueText('Cannot delete the title property.'))
      next = next.filter((p) => p !== existing)
      continue
    }
    const draft = checkPropertyConfig(raw, keyPath, true)
    if (!draft.ok) return draft
    if ('renameOnly' in draft.value) {
      if (!existing) return invalid(issueText(`${key} is not a property that exists.`))
      existing.name = draft.value.renameOnly
      continue
    }
    const config = draft.value
    if (existing) {
      if (existing.type === 'title' && config.type !== 'title') return invalid(issueText('Cannot change the type of the title property.'))
      existing.type = config.type
      existing.config = config.config
      existing.description = config.description
      if (config.name) existing.name = config.name
    } else {
      if (config.type === 'title') return invalid(issueText('A data source can only have one title property.'))
      next.push({ id: makeShortId(), name: config.name ?? key, type: config.type, description: config.description, config: config.config })
    }
  }
  return valid(next)
}

export function renderSchema(schema: PropertySchema[]): Json {
  const out: Json = {}
  for (const p of schema) {
    out[p.name] = { id: p.id, name: p.name, description: p.description, type: p.type, [p.type]: structuredClone(p.config) }
  }
  return out
}
