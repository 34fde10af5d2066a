import {
  atIndex,
  atKey,
  checkArray,
  checkBoolean,
  checkEnum,
  checkKnownKeys,
  checkObject,
  checkString,
  checkUuid,
  invalid,
  isObject,
  issueOneOf,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from './validate.ts'

// Rich text: request items are validated against Notion's size limits (request-limits: 2,000 characters
// per text.content and link URL, 1,000 per equation, 100 items per array) and answered in response shape
// (full annotations, plain_text, href).

export const MAX_RICH_TEXT_ITEMS = 100
export const MAX_TEXT_CONTENT = 2000
export const MAX_URL = 2000
export const MAX_EQUATION = 1000

export const API_COLORS = [
  'default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red',
  'default_background', 'gray_background', 'brown_background', 'orange_background', 'yellow_background',
  'green_background', 'blue_background', 'purple_background', 'pink_background', 'red_background',
] as const

export interface Annotations {
  bold: boolean
  italic: boolean
  strikethrough: boolean
  underline: boolean
  code: boolean
  color: string
}

export type RichTextItem = {
  type: 'text' | 'equation' | 'mention'
  text?: { content: string; link: { url: string } | null }
  equation?: { expression: string }
  mention?: Json
  annotations: Annotations
  plain_text: string
  href: string | null
}

const ANNOTATION_KEYS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const
const ITEM_KINDS = ['text', 'mention', 'equation'] as const
const MENTION_KINDS = ['page', 'database', 'date', 'user'] as const

export function checkRichTextArray(value: unknown, path: string): Checked<RichTextItem[]> {
  const arrayIssue = checkArray(value, path, MAX_RICH_TEXT_ITEMS)
  if (arrayIssue) return invalid(arrayIssue)
  const items: RichTextItem[] = []
  for (const [i, item] of (value as unknown[]).entries()) {
    const checked = checkRichTextItem(item, atIndex(path, i))
    if (!checked.ok) return checked
    items.push(checked.value)
  }
  return valid(items)
}

function checkRichTextItem(item: unknown, path: string): Checked<RichTextItem> {
  const objectIssue = checkObject(item, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = item as Json
  const typeIssue = checkEnum(obj.type, ITEM_KINDS, atKey(path, 'type'), true)
  if (typeIssue) return invalid(typeIssue)
  const kind = (obj.type as (typeof ITEM_KINDS)[number] | undefined) ?? ITEM_KINDS.find((k) => k in obj)
  if (!kind || obj[kind] === undefined) {
    if (kind) return invalid(issueUndefined(atKey(path, kind)))
    return invalid(issueOneOf(ITEM_KINDS.map((k) => issueUndefined(atKey(path, k)))))
  }
  const keysIssue = checkKnownKeys(obj, ['type', 'annotations', kind], path)
  if (keysIssue) return invalid(keysIssue)
  const annotations = checkAnnotations(obj.annotations, atKey(path, 'annotations'))
  if (!annotations.ok) return annotations
  if (kind === 'text') return checkTextItem(obj.text, atKey(path, 'text'), annotations.value)
  if (kind === 'equation') return checkEquationItem(obj.equation, atKey(path, 'equation'), annotations.value)
  return checkMentionItem(obj.mention, atKey(path, 'mention'), annotations.value)
}

function checkAnnotations(value: unknown, path: string): Checked<Annotations> {
  const annotations: Annotations = {
    bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default',
  }
  if (value === undefined) return valid(annotations)
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = value as Json
  const keysIssue = checkKnownKeys(obj, [...ANNOTATION_KEYS, 'color'], path)
  if (keysIssue) return invalid(keysIssue)
  for (const key of ANNOTATION_KEYS) {
    const issue = checkBoolean(obj[key], atKey(path, key), true)
    if (issue) return invalid(issue)
    if (obj[key] !== undefined) annotations[key] = obj[key] as boolean
  }
  const colorIssue = checkEnum(obj.color, API_COLORS, atKey(path, 'color'), true)
  if (colorIssue) return invalid(colorIssue)
  if (obj.color !== undefined) annotations.color = obj.color as string
  return valid(annotations)
}

function checkTextItem(value: unknown, path: string, annotations: Annotations): Checked<RichTextItem> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const text = value as Json
  const keysIssue = checkKnownKeys(text, ['content', 'link'], path)
  if (keysIssue) return invalid(keysIssue)
  const contentIssue = checkString(text.content, atKey(path, 'content'), { maxLength: MAX_TEXT_CONTENT })
  if (contentIssue) return invalid(contentIssue)
  let link: { url: string } | null = null
  if (text.link !== undefined && text.link !== null) {
    const linkPath = atKey(path, 'link')
    const linkIssue = checkObject(text.link, linkPath)
    if (linkIssue) return invalid(linkIssue)
    const linkObj = text.link as Json
    const linkKeysIssue = checkKnownKeys(linkObj, ['url'], linkPath)
    if (linkKeysIssue) return invalid(linkKeysIssue)
    const urlIssue = checkString(linkObj.url, atKey(linkPath, 'url'), { maxLength: MAX_URL })
    if (urlIssue) return invalid(urlIssue)
    link = { url: linkObj.url as string }
  }
  const content = text.content as string
  return valid({
    type: 'text',
    text: { content, link },
    annotations,
    plain_text: content,
    href: link?.url ?? null,
  })
}

function checkEquationItem(value: unknown, path: string, annotations: Annotations): Checked<RichTextItem> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const equation = value as Json
  const keysIssue = checkKnownKeys(equation, ['expression'], path)
  if (keysIssue) return invalid(keysIssue)
  const issue = checkString(equation.expression, atKey(path, 'expression'), { maxLength: MAX_EQUATION })
  if (issue) return invalid(issue)
  const expression = equation.expression as string
  return valid({ type: 'equation', equation: { expression }, annotations, plain_text: expression, href: null })
}

// Mentions are accepted for pages, databases, users and dates; their plain_text is a placeholder because
// the fake does not resolve the mentioned object's title here.
function checkMentionItem(value: unknown, path: string, annotations: Annotations): Checked<RichTextItem> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const mention = value as Json
  const typeIssue = checkEnum(mention.type, MENTION_KINDS, atKey(path, 'type'), true)
  if (typeIssue) return invalid(typeIssue)
  const kind = (mention.type as (typeof MENTION_KINDS)[number] | undefined) ?? MENTION_KINDS.find((k) => k in mention)
  if (!kind) return invalid(issueOneOf(MENTION_KINDS.map((k) => issueUndefined(atKey(path, k)))))
  const keysIssue = checkKnownKeys(mention, ['type', kind], path)
  if (keysIssue) return invalid(keysIssue)
  const innerPath = atKey(path, kind)
  const innerIssue = checkObject(mention[kind], innerPath)
  if (innerIssue) return invalid(innerIssue)
  const inner = mention[kind] as Json
  if (kind === 'date') {
    const dateKeysIssue = checkKnownKeys(inner, ['start', 'end', 'time_zone'], innerPath)
    if (dateKeysIssue) return invalid(dateKeysIssue)
    const startIssue = checkString(inner.start, atKey(innerPath, 'start'))
    if (startIssue) return invalid(startIssue)
    const date = { start: inner.start as string, end: (inner.end as string | undefined) ?? null, time_zone: null }
    return valid({
      type: 'mention', mention: { type: 'date', date }, annotations, plain_text: date.start, href: null,
    })
  }
  const idKeysIssue = checkKnownKeys(inner, kind === 'user' ? ['id', 'object'] : ['id'], innerPath)
  if (idKeysIssue) return invalid(idKeysIssue)
  const id = checkUuid(inner.id, atKey(innerPath, 'id'))
  if (!id.ok) return id
  const href = kind === 'user' ? null : `https://www.notion.so/${id.value.replace(/-/g, '')}`
  return valid({
    type: 'mention',
    mention: kind === 'user' ? { type: 'user', user: { object: 'user', id: id.value } } : { type: kind, [kind]: { id: id.value } },
    annotations,
    plain_text: kind === 'user' ? '@Unknown user' : 'Untitled',
    href,
  })
}

export function makeTextItems(content: string): RichTextItem[] {
  if (content === '') return []
  return [
    {
      type: 'text',
      text: { content, link: null },
      annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
      plain_text: content,
      href: null,
    },
  ]
}

export function plainTextOf(items: unknown): string {
  if (!Array.isArray(items)) return ''
  return items.map((item) => (isObject(item) && typeof item.plain_text === 'string' ? item.plain_text : '')).join('')
}

/** Notion lists the colors it accepts; exported for block and property checks. */
export function checkColor(value: unknown, path: string) {
  return checkEnum(value, API_COLORS, path, true)
}

