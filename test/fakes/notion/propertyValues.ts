import { makeShortId } from './ids.ts'
import { checkRichTextArray, type RichTextItem } from './richText.ts'
import { SELECT_COLORS, type PropertySchema, type PropertyType, type SelectOption } from './schema.ts'
import {
  atIndex,
  atKey,
  checkArray,
  checkBoolean,
  checkEnum,
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkString,
  describeValue,
  invalid,
  issueOneOf,
  issueText,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from './validate.ts'

// Page property values checked against a data source's schema, with Notion's size limits
// (request-limits: 100 rich-text items, 2,000-character URLs, 200-character email and phone,
// 100 multi-select options) and its messages ("Nope is not a property that exists.",
// "Price is expected to be number.").

export interface OptionRef {
  id?: string
  name?: string
  color?: string
}

export interface ValueDraft {
  propertyId: string
  type: PropertyType
  /** Response-shaped value, except select/multi_select which hold OptionRefs resolved on apply. */
  value: unknown
}

const MAX_LENGTH: Partial<Record<PropertyType, number>> = { url: 2000, email: 200, phone_number: 200 }
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/

export function checkPropertyValues(properties: unknown, schema: PropertySchema[], path: string): Checked<ValueDraft[]> {
  const objectIssue = checkObject(properties, path)
  if (objectIssue) return invalid(objectIssue)
  const drafts: ValueDraft[] = []
  for (const [key, raw] of Object.entries(properties as Json)) {
    const property = schema.find((p) => p.name === key || p.id === key)
    // Real wording (seen in many client reports): "Name is not a property that exists."
    if (!property) return invalid(issueText(`${key} is not a property that exists.`))
    const draft = checkPropertyValue(raw, property, atKey(path, key))
    if (!draft.ok) return draft
    drafts.push(draft.value)
  }
  return valid(drafts)
}

function checkPropertyValue(raw: unknown, property: PropertySchema, path: string): Checked<ValueDraft> {
  const { type } = property
  const objectIssue = checkObject(raw, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = raw as Json
  // Real wording: "Price is expected to be number."
  if (!(type in obj) || (obj.type !== undefined && obj.type !== type)) {
    return invalid(issueText(`${property.name} is expected to be ${type}.`))
  }
  const keysIssue = checkKnownKeys(obj, ['type', type], path)
  if (keysIssue) return invalid(keysIssue)
  const value = checkValueOfType(type, obj[type], atKey(path, type), property)
  if (!value.ok) return value
  return valid({ propertyId: property.id, type, value: value.value })
}

function checkValueOfType(type: PropertyType, value: unknown, path: string, property: PropertySchema): Checked<unknown> {
  switch (type) {
    case 'title':
    case 'rich_text':
      return checkRichTextArray(value, path)
    case 'number': {
      const issue = checkNumber(value, path, { nullable: true })
      return issue ? invalid(issue) : valid(value)
    }
    case 'checkbox': {
      const issue = checkBoolean(value, path)
      return issue ? invalid(issue) : valid(value)
    }
    case 'url':
    case 'email':
    case 'phone_number': {
      const issue = checkString(value, path, { nullable: true, maxLength: MAX_LENGTH[type] })
      return issue ? invalid(issue) : valid(value)
    }
    case 'date':
      return checkDateValue(value, path)
    case 'select':
      return value === null ? valid(null) : checkOptionRef(value, path, property)
    case 'multi_select': {
      const arrayIssue = checkArray(value, path, 100)
      if (arrayIssue) return invalid(arrayIssue)
      const refs: OptionRef[] = []
      for (const [i, item] of (value as unknown[]).entries()) {
        const ref = checkOptionRef(item, atIndex(path, i), property)
        if (!ref.ok) return ref
        refs.push(ref.value)
      }
      return valid(refs)
    }
  }
}

function checkOptionRef(value: unknown, path: string, property: PropertySchema): Checked<OptionRef> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = value as Json
  const issue =
    checkKnownKeys(obj, ['id', 'name', 'color', 'description'], path) ??
    checkString(obj.id, atKey(path, 'id'), { optional: true }) ??
    checkString(obj.name, atKey(path, 'name'), { optional: true, maxLength: 100 }) ??
    checkEnum(obj.color, SELECT_COLORS, atKey(path, 'color'), true)
  if (issue) return invalid(issue)
  if (obj.id === undefined && obj.name === undefined) {
    return invalid(issueOneOf([issueUndefined(atKey(path, 'id')), issueUndefined(atKey(path, 'name'))]))
  }
  if (typeof obj.name === 'string' && obj.name.includes(',')) {
    // Notion refuses commas in option names; the exact wording is not documented.
    return invalid(issueText(`Invalid ${property.type} option name ${describeValue(obj.name)}: commas are not allowed.`))
  }
  const options = (property.config.options as SelectOption[] | undefined) ?? []
  if (obj.id !== undefined && !options.some((o) => o.id === obj.id)) {
    return invalid(issueText(`${path.replace(/^body\./, '')} refers to an option id that does not exist: ${describeValue(obj.id)}.`))
  }
  return valid({ id: obj.id as string | undefined, name: obj.name as string | undefined, color: obj.color as string | undefined })
}

function checkDateValue(value: unknown, path: string): Checked<unknown> {
  if (value === null) return valid(null)
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = value as Json
  const keysIssue = checkKnownKeys(obj, ['start', 'end', 'time_zone'], path)
  if (keysIssue) return invalid(keysIssue)
  for (const key of ['start', 'end'] as const) {
    const v = obj[key]
    if (key === 'end' && (v === undefined || v === null)) continue
    if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) {
      // Real wording (seen in client reports).
      return invalid(issueText(`${atKey(path, key)} should be a valid ISO 8601 date string, instead was ${describeValue(v)}.`))
    }
  }
  const tzIssue = checkString(obj.time_zone, atKey(path, 'time_zone'), { optional: true, nullable: true })
  if (tzIssue) return invalid(tzIssue)
  return valid({ start: obj.start, end: obj.end ?? null, time_zone: obj.time_zone ?? null })
}

/** Writes drafts into a page's values; unknown select option names are added to the schema, as Notion does. */
export function applyPropertyValues(schema: PropertySchema[], values: Record<string, unknown>, drafts: ValueDraft[]) {
  for (const draft of drafts) {
    const property = schema.find((p) => p.id === draft.propertyId)
    if (!property) continue
    if (draft.type === 'select') {
      values[property.id] = draft.value === null ? null : resolveOption(property, draft.value as OptionRef)
    } else if (draft.type === 'multi_select') {
      values[property.id] = (draft.value as OptionRef[]).map((ref) => resolveOption(property, ref))
    } else {
      values[property.id] = draft.value
    }
  }
}

function resolveOption(property: PropertySchema, ref: OptionRef): Json {
  const options = (property.config.options ??= []) as SelectOption[]
  let option = options.find((o) => (ref.id !== undefined ? o.id === ref.id : o.name === ref.name))
  if (!option) {
    option = { id: makeShortId(), name: ref.name ?? '', color: ref.color ?? 'default', description: null }
    options.push(option)
  }
  return { id: option.id, name: option.name, color: option.color }
}

export function emptyValueOf(type: PropertyType): unknown {
  if (type === 'title' || type === 'rich_text' || type === 'multi_select') return []
  if (type === 'checkbox') return false
  return null
}

export function renderPropertyValues(schema: PropertySchema[], values: Record<string, unknown>): Json {
  const out: Json = {}
  for (const p of schema) {
    const value = p.id in values ? values[p.id] : emptyValueOf(p.type)
    out[p.name] = { id: p.id, type: p.type, [p.type]: structuredClone(value) }
  }
  return out
}

export function titleOf(schema: PropertySchema[], values: Record<string, unknown>): RichTextItem[] {
  const title = schema.find((p) => p.type === 'title')
  const value = title ? values[title.id] : undefined
  return Array.isArray(value) ? (value as RichTextItem[]) : []
}
