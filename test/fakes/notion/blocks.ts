import { checkIcon } from './icons.ts'
import { checkColor, checkRichTextArray } from './richText.ts'
import {
  atIndex,
  atKey,
  checkArray,
  checkBoolean,
  checkEnum,
  checkKnownKeys,
  checkObject,
  invalid,
  issueNotPresent,
  issueOneOf,
  issueText,
  issueUndefined,
  valid,
  type Checked,
  type Issue,
  type Json,
} from './validate.ts'

// Block requests: which types exist, which fields each takes, and the per-request limits of
// developers.notion.com/reference/request-limits and /patch-block-children — 100 children per array,
// two levels of nesting below the top-level children, 1,000 block elements per request.

export const BLOCK_TYPES = [
  'paragraph', 'heading_1', 'heading_2', 'heading_3', 'bulleted_list_item', 'numbered_list_item',
  'to_do', 'toggle', 'quote', 'callout', 'code', 'divider',
] as const
export type BlockType = (typeof BLOCK_TYPES)[number]

// Types Notion accepts that this fake does not model; refused with a message saying so.
const NOTION_ONLY_TYPES = [
  'embed', 'bookmark', 'image', 'video', 'pdf', 'file', 'audio', 'equation', 'breadcrumb', 'tab',
  'table_of_contents', 'link_to_page', 'table', 'table_row', 'column_list', 'column', 'heading_4',
  'template', 'synced_block', 'child_page', 'child_database', 'link_preview', 'transcription', 'meeting_notes',
]

export const CODE_LANGUAGES = [
  'abap', 'abc', 'agda', 'arduino', 'ascii art', 'assembly', 'bash', 'basic', 'bnf', 'c', 'c#', 'c++', 'clojure',
  'coffeescript', 'coq', 'css', 'dart', 'dhall', 'diff', 'docker', 'ebnf', 'elixir', 'elm', 'erlang', 'f#',
  'flow', 'fortran', 'gherkin', 'glsl', 'go', 'graphql', 'groovy', 'haskell', 'hcl', 'html', 'idris', 'java',
  'javascript', 'json', 'julia', 'kotlin', 'latex', 'less', 'lisp', 'livescript', 'llvm ir', 'lua', 'makefile',
  'markdown', 'markup', 'matlab', 'mathematica', 'mermaid', 'nix', 'notion formula', 'objective-c', 'ocaml',
  'pascal', 'perl', 'php', 'plain text', 'powershell', 'prolog', 'protobuf', 'purescript', 'python', 'r',
  'racket', 'reason', 'ruby', 'rust', 'sass', 'scala', 'scheme', 'scss', 'shell', 'smalltalk', 'solidity', 'sql',
  'swift', 'toml', 'typescript', 'vb.net', 'verilog', 'vhdl', 'visual basic', 'webassembly', 'xml', 'yaml',
  'java/c/c++/c#',
] as const

type FieldRule = 'rich_text' | 'color' | 'boolean' | 'icon' | 'language'

interface TypeSpec {
  fields: Record<string, FieldRule>
  required: string[]
  takesChildren: boolean
  /** Response fields in Notion's order with their defaults. */
  defaults: Json
}

const TEXT: Record<string, FieldRule> = { rich_text: 'rich_text', color: 'color' }
const textSpec = (): TypeSpec => ({
  fields: TEXT, required: ['rich_text'], takesChildren: true, defaults: { rich_text: [], color: 'default' },
})
const headingSpec = (): TypeSpec => ({
  fields: { ...TEXT, is_toggleable: 'boolean' },
  required: ['rich_text'],
  takesChildren: true,
  defaults: { rich_text: [], is_toggleable: false, color: 'default' },
})

const SPECS: Record<BlockType, TypeSpec> = {
  paragraph: { ...textSpec(), fields: { ...TEXT, icon: 'icon' } },
  heading_1: headingSpec(),
  heading_2: headingSpec(),
  heading_3: headingSpec(),
  bulleted_list_item: textSpec(),
  numbered_list_item: textSpec(),
  quote: textSpec(),
  toggle: textSpec(),
  to_do: {
    fields: { ...TEXT, checked: 'boolean' },
    required: ['rich_text'],
    takesChildren: true,
    defaults: { rich_text: [], checked: false, color: 'default' },
  },
  callout: {
    fields: { ...TEXT, icon: 'icon' },
    required: ['rich_text'],
    takesChildren: true,
    defaults: { rich_text: [], icon: null, color: 'default' },
  },
  code: {
    fields: { rich_text: 'rich_text', caption: 'rich_text', language: 'language' },
    required: ['rich_text', 'language'],
    takesChildren: false,
    defaults: { caption: [], rich_text: [], language: 'plain text' },
  },
  divider: { fields: {}, required: [], takesChildren: false, defaults: {} },
}

export interface BlockDraft {
  type: BlockType
  /** The response-shaped type object, without children. */
  content: Json
  children: BlockDraft[]
}

export interface BlockLimits {
  maxChildren: number
  /** Levels of blocks one request may hold: top-level children plus two nested levels. */
  maxLevels: number
  maxElements: number
}

export const REQUEST_LIMITS: BlockLimits = { maxChildren: 100, maxLevels: 3, maxElements: 1000 }
/** Seeding from tests builds a workspace directly and is not bound by per-request limits. */
export const SEED_LIMITS: BlockLimits = { maxChildren: Infinity, maxLevels: Infinity, maxElements: Infinity }

export function isBlockType(value: unknown): value is BlockType {
  return typeof value === 'string' && (BLOCK_TYPES as readonly string[]).includes(value)
}

export function canHaveChildren(type: BlockType, content: Json): boolean {
  if (type.startsWith('heading_')) return content.is_toggleable === true
  return SPECS[type].takesChildren
}

/** Validates a children array (body.children of an append or a page create). */
export function checkBlockChildren(value: unknown, path: string, limits: BlockLimits): Checked<BlockDraft[]> {
  const drafts = checkBlockArray(value, path, 1, limits)
  if (!drafts.ok) return drafts
  const total = countBlocks(drafts.value)
  if (total > limits.maxElements) {
    // The real wording for this limit is not documented; this follows Notion's style.
    return invalid(
      issueText(`${path} should contain at most \`${limits.maxElements}\` block elements in total, instead was \`${total}\`.`),
    )
  }
  return drafts
}

export function countBlocks(drafts: BlockDraft[]): number {
  return drafts.reduce((sum, draft) => sum + 1 + countBlocks(draft.children), 0)
}

function checkBlockArray(value: unknown, path: string, level: number, limits: BlockLimits): Checked<BlockDraft[]> {
  const arrayIssue = checkArray(value, path, limits.maxChildren)
  if (arrayIssue) return invalid(arrayIssue)
  const drafts: BlockDraft[] = []
  for (const [i, item] of (value as unknown[]).entries()) {
    const draft = checkBlockRequest(item, atIndex(path, i), level, limits)
    if (!draft.ok) return draft
    drafts.push(draft.value)
  }
  return valid(drafts)
}

function checkBlockRequest(item: unknown, path: string, level: number, limits: BlockLimits): Checked<BlockDraft> {
  const objectIssue = checkObject(item, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = item as Json
  const type = findBlockType(obj, path)
  if (!type.ok) return type
  const typePath = atKey(path, type.value)
  const keysIssue = checkKnownKeys(obj, ['object', 'type', type.value], path)
  if (keysIssue) return invalid(keysIssue)
  const objectKindIssue = checkEnum(obj.object, ['block'], atKey(path, 'object'), true)
  if (objectKindIssue) return invalid(objectKindIssue)
  const fields = checkBlockFields(type.value, obj[type.value], typePath, 'create')
  if (!fields.ok) return fields
  const content = makeBlockContent(type.value, fields.value.content)
  const rawChildren = fields.value.children
  if (rawChildren === undefined) return valid({ type: type.value, content, children: [] })
  const childrenPath = atKey(typePath, 'children')
  // Nesting deeper than the limit, children of a type that takes none, and children of a heading that is
  // not toggleable are all refused as "should be not present" (the first is Notion's real message; the
  // wording for the other two is not documented).
  if (level >= limits.maxLevels || !canHaveChildren(type.value, content)) {
    return invalid(issueNotPresent(childrenPath, rawChildren))
  }
  const children = checkBlockArray(rawChildren, childrenPath, level + 1, limits)
  if (!children.ok) return children
  return valid({ type: type.value, content, children: children.value })
}

function findBlockType(obj: Json, path: string): Checked<BlockType> {
  const given = obj.type ?? Object.keys(obj).find((k) => isBlockType(k) || NOTION_ONLY_TYPES.includes(k))
  if (isBlockType(given)) {
    if (obj[given] === undefined) return invalid(issueUndefined(atKey(path, given)))
    return valid(given)
  }
  if (typeof given === 'string' && NOTION_ONLY_TYPES.includes(given)) {
    return invalid(issueText(`${atKey(path, given)} is a block type the local Notion fake does not support.`))
  }
  // Unknown type: Notion answers with every alternative it would have accepted.
  return invalid(issueOneOf(BLOCK_TYPES.map((t) => issueUndefined(atKey(path, t)))))
}

interface CheckedFields {
  content: Json
  children: unknown
}

/** Checks a type object (e.g. body.to_do); create requires the required fields, update takes any subset. */
export function checkBlockFields(
  type: BlockType,
  value: unknown,
  path: string,
  mode: 'create' | 'update',
): Checked<CheckedFields> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const obj = value as Json
  const spec = SPECS[type]
  const allowed = Object.keys(spec.fields)
  const keysIssue = checkKnownKeys(obj, mode === 'create' && spec.takesChildren ? [...allowed, 'children'] : allowed, path)
  if (keysIssue) return invalid(keysIssue)
  const content: Json = {}
  for (const [field, rule] of Object.entries(spec.fields)) {
    const fieldPath = atKey(path, field)
    if (obj[field] === undefined) {
      if (mode === 'create' && spec.required.includes(field)) return invalid(issueUndefined(fieldPath))
      continue
    }
    const checked = checkField(rule, obj[field], fieldPath)
    if (!checked.ok) return checked
    content[field] = checked.value
  }
  return valid({ content, children: obj.children })
}

function checkField(rule: FieldRule, value: unknown, path: string): Checked<unknown> {
  if (rule === 'rich_text') return checkRichTextArray(value, path)
  if (rule === 'icon') return checkIcon(value, path)
  const issue: Issue | undefined =
    rule === 'color'
      ? checkColor(value, path)
      : rule === 'boolean'
        ? checkBoolean(value, path)
        : checkEnum(value, CODE_LANGUAGES, path)
  return issue ? invalid(issue) : valid(value)
}

/** The response type object: Notion's defaults overlaid with what the request gave. */
export function makeBlockContent(type: BlockType, given: Json): Json {
  const content: Json = { ...SPECS[type].defaults }
  for (const [key, value] of Object.entries(given)) content[key] = value
  return content
}

export interface BlockUpdate {
  content?: Json
  inTrash?: boolean
}

/** PATCH /v1/blocks/{id}: a partial type object and/or in_trash (archived is its deprecated alias). */
export function checkBlockUpdate(body: unknown, type: BlockType | undefined): Checked<BlockUpdate> {
  if (body === undefined) return valid({})
  const objectIssue = checkObject(body, 'body')
  if (objectIssue) return invalid(objectIssue)
  const obj = body as Json
  const update: BlockUpdate = {}
  for (const key of ['in_trash', 'archived'] as const) {
    const issue = checkBoolean(obj[key], `body.${key}`, true)
    if (issue) return invalid(issue)
  }
  const trash = (obj.in_trash ?? obj.archived) as boolean | undefined
  if (trash !== undefined) update.inTrash = trash
  const allowed = ['type', 'in_trash', 'archived', ...(type ? [type] : [])]
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue
    if (type && (isBlockType(key) || NOTION_ONLY_TYPES.includes(key))) {
      // Real wording for a mismatched type object is not documented.
      return invalid(issueText(`Block type \`${key}\` does not match the existing block type \`${type}\`.`))
    }
    return invalid(issueNotPresent(`body.${key}`, obj[key]))
  }
  if (obj.type !== undefined && obj.type !== type) {
    return invalid(issueText(`Block type \`${String(obj.type)}\` does not match the existing block type \`${type}\`.`))
  }
  if (type && obj[type] !== undefined) {
    const fields = checkBlockFields(type, obj[type], `body.${type}`, 'update')
    if (!fields.ok) return fields
    update.content = fields.value.content
  }
  return valid(update)
}

