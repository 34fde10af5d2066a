import { makeValidationError, type ApiError } from './errors.ts'
import { normalizeId } from './ids.ts'

// Request validation in Notion's own message style:
//   body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.
//   body failed validation. Fix one:\n<alternative 1>\n<alternative 2>
// An Issue is one failed check; the first one found is answered, as Notion answers one.

export interface Issue {
  /** Full sentence, path first: "body.children should be an array, instead was `1`." */
  message: string
  /** Set when no branch of a union matched ("Fix one:"). */
  alternatives?: string[]
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issue: Issue }

export function valid<T>(value: T): Checked<T> {
  return { ok: true, value }
}

export function invalid(issue: Issue): { ok: false; issue: Issue } {
  return { ok: false, issue }
}

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const MAX_SHOWN = 200

/** How Notion quotes a value in messages: backticks around its JSON, `undefined` for a missing value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '`undefined`'
  let text = JSON.stringify(value) ?? String(value)
  if (text.length > MAX_SHOWN) text = `${text.slice(0, MAX_SHOWN)}…`
  return `\`${text}\``
}

export function atKey(path: string, key: string): string {
  return `${path}.${key}`
}

export function atIndex(path: string, index: number): string {
  return `${path}[${index}]`
}

export function issueUndefined(path: string): Issue {
  return { message: `${path} should be defined, instead was \`undefined\`.` }
}

export function issueNotPresent(path: string, value: unknown): Issue {
  return { message: `${path} should be not present, instead was ${describeValue(value)}.` }
}

export type Expected = 'a string' | 'an array' | 'an object' | 'a boolean' | 'a number' | 'an integer' | 'a valid uuid'

export function issueType(path: string, expected: Expected, value: unknown): Issue {
  return { message: `${path} should be ${expected}, instead was ${describeValue(value)}.` }
}

export function issueMaxLength(path: string, max: number, actual: number): Issue {
  return { message: `${path}.length should be ≤ \`${max}\`, instead was \`${actual}\`.` }
}

export function issueMax(path: string, max: number, actual: unknown): Issue {
  return { message: `${path} should be ≤ \`${max}\`, instead was ${describeValue(actual)}.` }
}

export function issueMin(path: string, min: number, actual: unknown): Issue {
  return { message: `${path} should be ≥ \`${min}\`, instead was ${describeValue(actual)}.` }
}

export function issueEnum(path: string, allowed: readonly string[], value: unknown): Issue {
  const quoted = allowed.map((a) => `\`${JSON.stringify(a)}\``)
  const list =
    quoted.length <= 2 ? quoted.join(' or ') : `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`
  return { message: `${path} should be ${list}, instead was ${describeValue(value)}.` }
}

export function issueOneOf(alternatives: Issue[]): Issue {
  const lines = alternatives.flatMap((a) => a.alternatives ?? [a.message])
  return { message: lines[0] ?? '', alternatives: lines }
}

/** A free-form issue for rules Notion states in prose rather than in its schema. */
export function issueText(message: string): Issue {
  return { message }
}

/** Turns the first issue into Notion's validation_error; the root ("body", "query", "path") names the part. */
export function makeIssueError(issue: Issue, additional?: Record<string, unknown>): ApiError {
  const root = issue.message.split(/[.[ ]/)[0]
  const isPathed = root === 'body' || root === 'query' || root === 'path'
  if (issue.alternatives && issue.alternatives.length > 1) {
    return makeValidationError(`${root} failed validation. Fix one:\n${issue.alternatives.join('\n')}`, additional)
  }
  return makeValidationError(isPathed ? `${root} failed validation: ${issue.message}` : issue.message, additional)
}

/** The first key of obj not in allowed, reported as "should be not present". */
export function checkKnownKeys(obj: Json, allowed: readonly string[], path: string): Issue | undefined {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) return issueNotPresent(atKey(path, key), obj[key])
  }
  return undefined
}

export interface StringRule {
  optional?: boolean
  nullable?: boolean
  maxLength?: number
}

export function checkString(value: unknown, path: string, rule: StringRule = {}): Issue | undefined {
  if (value === undefined) return rule.optional ? undefined : issueUndefined(path)
  if (value === null) return rule.nullable ? undefined : issueType(path, 'a string', value)
  if (typeof value !== 'string') return issueType(path, 'a string', value)
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return issueMaxLength(path, rule.maxLength, value.length)
  }
  return undefined
}

export function checkBoolean(value: unknown, path: string, optional = false): Issue | undefined {
  if (value === undefined) return optional ? undefined : issueUndefined(path)
  return typeof value === 'boolean' ? undefined : issueType(path, 'a boolean', value)
}

export function checkNumber(value: unknown, path: string, rule: { optional?: boolean; nullable?: boolean } = {}) {
  if (value === undefined) return rule.optional ? undefined : issueUndefined(path)
  if (value === null) return rule.nullable ? undefined : issueType(path, 'a number', value)
  return typeof value === 'number' && Number.isFinite(value) ? undefined : issueType(path, 'a number', value)
}

export function checkEnum(value: unknown, allowed: readonly string[], path: string, optional = false) {
  if (value === undefined) return optional ? undefined : issueUndefined(path)
  return typeof value === 'string' && allowed.includes(value) ? undefined : issueEnum(path, allowed, value)
}

export function checkArray(value: unknown, path: string, maxLength?: number): Issue | undefined {
  if (value === undefined) return issueUndefined(path)
  if (!Array.isArray(value)) return issueType(path, 'an array', value)
  if (maxLength !== undefined && value.length > maxLength) return issueMaxLength(path, maxLength, value.length)
  return undefined
}

export function checkObject(value: unknown, path: string): Issue | undefined {
  if (value === undefined) return issueUndefined(path)
  return isObject(value) ? undefined : issueType(path, 'an object', value)
}

/** An id given with or without dashes; answers the dashed form. */
export function checkUuid(value: unknown, path: string): Checked<string> {
  if (value === undefined) return invalid(issueUndefined(path))
  const id = normalizeId(value)
  return id ? valid(id) : invalid(issueType(path, 'a valid uuid', value))
}

/** A page_size given in a body (number) or a query string (text). */
export function checkPageSize(raw: unknown, path: string): Checked<number> {
  if (raw === undefined) return valid(100)
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isInteger(value)) return invalid(issueType(path, 'an integer', raw))
  if (value > 100) return invalid(issueMax(path, 100, value))
  if (value < 1) return invalid(issueMin(path, 1, value))
  return valid(value)
}
