import { plainTextOf } from './richText.ts'
import type { PropertySchema, PropertyType } from './schema.ts'
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
  issueText,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from './validate.ts'

// Data source query filters and sorts (developers.notion.com/reference/post-database-query-filter):
// property filters for the property types the fake models, timestamp filters, and and/or groups nested at
// most two levels deep.

export interface RowView {
  values: Record<string, unknown>
  createdTime: number
  lastEditedTime: number
}

export type RowPredicate = (row: RowView) => boolean
export type RowComparator = (a: RowView, b: RowView) => number

const TEXT_CONDITIONS = ['equals', 'does_not_equal', 'contains', 'does_not_contain', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty']
const NUMBER_CONDITIONS = ['equals', 'does_not_equal', 'greater_than', 'less_than', 'greater_than_or_equal_to', 'less_than_or_equal_to', 'is_empty', 'is_not_empty']
const DATE_CONDITIONS = ['equals', 'before', 'after', 'on_or_before', 'on_or_after', 'is_empty', 'is_not_empty']

const CONDITIONS: Record<PropertyType, string[]> = {
  title: TEXT_CONDITIONS,
  rich_text: TEXT_CONDITIONS,
  url: TEXT_CONDITIONS,
  email: TEXT_CONDITIONS,
  phone_number: TEXT_CONDITIONS,
  number: NUMBER_CONDITIONS,
  checkbox: ['equals', 'does_not_equal'],
  select: ['equals', 'does_not_equal', 'is_empty', 'is_not_empty'],
  multi_select: ['contains', 'does_not_contain', 'is_empty', 'is_not_empty'],
  date: DATE_CONDITIONS,
}

const MAX_GROUP_DEPTH = 2

export function compileFilter(filter: unknown, schema: PropertySchema[], path = 'body.filter', depth = 0): Checked<RowPredicate> {
  const objectIssue = checkObject(filter, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = filter as Json
  for (const group of ['and', 'or'] as const) {
    if (!(group in obj)) continue
    const keysIssue = checkKnownKeys(obj, [group], path)
    if (keysIssue) return invalid(keysIssue)
    // Notion documents two levels of nested filter groups; the wording past that is not documented.
    if (depth >= MAX_GROUP_DEPTH) return invalid(issueText(`${atKey(path, group)} nests filter groups deeper than two levels.`))
    const groupPath = atKey(path, group)
    const arrayIssue = checkArray(obj[group], groupPath, 100)
    if (arrayIssue) return invalid(arrayIssue)
    const parts: RowPredicate[] = []
    for (const [i, part] of (obj[group] as unknown[]).entries()) {
      const compiled = compileFilter(part, schema, atIndex(groupPath, i), depth + 1)
      if (!compiled.ok) return compiled
      parts.push(compiled.value)
    }
    return valid(group === 'and' ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row)))
  }
  if ('timestamp' in obj) return compileTimestampFilter(obj, path)
  return compilePropertyFilter(obj, schema, path)
}

function compileTimestampFilter(obj: Json, path: string): Checked<RowPredicate> {
  const kindIssue = checkEnum(obj.timestamp, ['created_time', 'last_edited_time'], atKey(path, 'timestamp'))
  if (kindIssue) return invalid(kindIssue)
  const kind = obj.timestamp as 'created_time' | 'last_edited_time'
  const keysIssue = checkKnownKeys(obj, ['timestamp', 'type', kind], path)
  if (keysIssue) return invalid(keysIssue)
  const test = compileCondition('date', obj[kind], atKey(path, kind))
  if (!test.ok) return test
  return valid((row) => test.value(new Date(kind === 'created_time' ? row.createdTime : row.lastEditedTime).toISOString()))
}

function compilePropertyFilter(obj: Json, schema: PropertySchema[], path: string): Checked<RowPredicate> {
  const nameIssue = checkString(obj.property, atKey(path, 'property'))
  if (nameIssue) return invalid(nameIssue)
  const property = schema.find((p) => p.name === obj.property || p.id === obj.property)
  // Real wording (seen in client reports).
  if (!property) return invalid(issueText(`Could not find property with name or id: ${String(obj.property)}`))
  const typeKey = (obj.type as string | undefined) ?? Object.keys(obj).find((k) => k !== 'property' && k !== 'type')
  if (typeKey === undefined) return invalid(issueUndefined(atKey(path, property.type)))
  if (typeKey !== property.type) {
    // Real wording for a filter of the wrong type is not documented.
    return invalid(issueText(`${atKey(path, typeKey)} does not match the type of property ${property.name} (${property.type}).`))
  }
  const keysIssue = checkKnownKeys(obj, ['property', 'type', typeKey], path)
  if (keysIssue) return invalid(keysIssue)
  const test = compileCondition(property.type, obj[typeKey], atKey(path, typeKey))
  if (!test.ok) return test
  return valid((row) => test.value(row.values[property.id] ?? null))
}

type ValueTest = (value: unknown) => boolean

function compileCondition(type: PropertyType, raw: unknown, path: string): Checked<ValueTest> {
  const objectIssue = checkObject(raw, path)
  if (objectIssue) return invalid(objectIssue)
  const condition = raw as Json
  const allowed = CONDITIONS[type]
  const keysIssue = checkKnownKeys(condition, allowed, path)
  if (keysIssue) return invalid(keysIssue)
  const [name] = Object.keys(condition)
  if (name === undefined || Object.keys(condition).length !== 1) {
    return invalid(issueText(`${path} should have exactly one condition, instead was ${describeValue(condition)}.`))
  }
  const operand = condition[name]
  const operandPath = atKey(path, name)
  if (name === 'is_empty' || name === 'is_not_empty') {
    if (operand !== true) return invalid(issueText(`${operandPath} should be \`true\`, instead was ${describeValue(operand)}.`))
    return valid(name === 'is_empty' ? isEmptyValue : (v) => !isEmptyValue(v))
  }
  if (type === 'checkbox') {
    const issue = checkBoolean(operand, operandPath)
    if (issue) return invalid(issue)
    return valid(name === 'equals' ? (v) => v === operand : (v) => v !== operand)
  }
  if (type === 'number') {
    const issue = checkNumber(operand, operandPath)
    if (issue) return invalid(issue)
    return valid(makeNumberTest(name, operand as number))
  }
  const issue = checkString(operand, operandPath)
  if (issue) return invalid(issue)
  if (type === 'date') {
    if (Number.isNaN(Date.parse(operand as string))) {
      return invalid(issueText(`${operandPath} should be a valid ISO 8601 date string, instead was ${describeValue(operand)}.`))
    }
    return valid(makeDateTest(name, operand as string))
  }
  if (type === 'select') {
    const matches = (v: unknown) => (v as { name?: string } | null)?.name === operand
    return valid(name === 'equals' ? matches : (v) => !matches(v))
  }
  if (type === 'multi_select') {
    const has = (v: unknown) => Array.isArray(v) && v.some((o) => (o as { name?: string }).name === operand)
    return valid(name === 'contains' ? has : (v) => !has(v))
  }
  return valid(makeTextTest(name, operand as string))
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return plainTextOf(value)
  return typeof value === 'string' ? value : ''
}

// equals compares exactly; contains/starts_with/ends_with ignore case, as Notion's text filters do in the app.
function makeTextTest(name: string, operand: string): ValueTest {
  const lower = operand.toLowerCase()
  switch (name) {
    case 'equals': return (v) => textOf(v) === operand
    case 'does_not_equal': return (v) => textOf(v) !== operand
    case 'contains': return (v) => textOf(v).toLowerCase().includes(lower)
    case 'does_not_contain': return (v) => !textOf(v).toLowerCase().includes(lower)
    case 'starts_with': return (v) => textOf(v).toLowerCase().startsWith(lower)
    default: return (v) => textOf(v).toLowerCase().endsWith(lower)
  }
}

function makeNumberTest(name: string, operand: number): ValueTest {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined)
  switch (name) {
    case 'equals': return (v) => num(v) === operand
    case 'does_not_equal': return (v) => num(v) !== operand
    case 'greater_than': return (v) => (num(v) ?? -Infinity) > operand
    case 'less_than': return (v) => num(v) !== undefined && (num(v) as number) < operand
    case 'greater_than_or_equal_to': return (v) => (num(v) ?? -Infinity) >= operand
    default: return (v) => num(v) !== undefined && (num(v) as number) <= operand
  }
}

function dateStart(value: unknown): number | undefined {
  const start = typeof value === 'string' ? value : (value as { start?: string } | null)?.start
  return start ? Date.parse(start) : undefined
}

function makeDateTest(name: string, operand: string): ValueTest {
  const at = Date.parse(operand)
  switch (name) {
    case 'equals': return (v) => dateStart(v) === at
    case 'before': return (v) => (dateStart(v) ?? Infinity) < at
    case 'after': return (v) => (dateStart(v) ?? -Infinity) > at
    case 'on_or_before': return (v) => (dateStart(v) ?? Infinity) <= at
    default: return (v) => (dateStart(v) ?? -Infinity) >= at
  }
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  return false
}

export function compileSorts(sorts: unknown, schema: PropertySchema[], path = 'body.sorts'): Checked<RowComparator> {
  const arrayIssue = checkArray(sorts, path, 100)
  if (arrayIssue) return invalid(arrayIssue)
  const keys: RowComparator[] = []
  for (const [i, raw] of (sorts as unknown[]).entries()) {
    const sortPath = atIndex(path, i)
    const objectIssue = checkObject(raw, sortPath)
    if (objectIssue) return invalid(objectIssue)
    const sort = raw as Json
    const directionIssue = checkEnum(sort.direction, ['ascending', 'descending'], atKey(sortPath, 'direction'))
    if (directionIssue) return invalid(directionIssue)
    const sign = sort.direction === 'descending' ? -1 : 1
    if ('timestamp' in sort) {
      const issue =
        checkKnownKeys(sort, ['timestamp', 'direction'], sortPath) ??
        checkEnum(sort.timestamp, ['created_time', 'last_edited_time'], atKey(sortPath, 'timestamp'))
      if (issue) return invalid(issue)
      const field = sort.timestamp === 'created_time' ? 'createdTime' : 'lastEditedTime'
      keys.push((a, b) => sign * (a[field] - b[field]))
      continue
    }
    const issue = checkKnownKeys(sort, ['property', 'direction'], sortPath) ?? checkString(sort.property, atKey(sortPath, 'property'))
    if (issue) return invalid(issue)
    const property = schema.find((p) => p.name === sort.property || p.id === sort.property)
    // Real wording (seen in client reports).
    if (!property) return invalid(issueText(`Could not find sort property with name or id: ${String(sort.property)}`))
    keys.push((a, b) => compareValues(a.values[property.id], b.values[property.id], sign))
  }
  return valid((a, b) => {
    for (const key of keys) {
      const order = key(a, b)
      if (order !== 0) return order
    }
    return 0
  })
}

function sortKeyOf(value: unknown): string | number | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const text = value.map((v) => (v as Json).plain_text ?? (v as Json).name ?? '').join('')
    return text === '' ? undefined : text
  }
  const obj = value as Json
  if (typeof obj.start === 'string') return Date.parse(obj.start)
  if (typeof obj.name === 'string') return obj.name
  return undefined
}

// Empty values sort last in both directions, as in Notion.
function compareValues(a: unknown, b: unknown, sign: number): number {
  const ka = sortKeyOf(a)
  const kb = sortKeyOf(b)
  if (ka === undefined || kb === undefined) return ka === kb ? 0 : ka === undefined ? 1 : -1
  if (typeof ka === 'number' && typeof kb === 'number') return sign * (ka - kb)
  return sign * String(ka).localeCompare(String(kb))
}
