import {
  atKey,
  checkEnum,
  checkKnownKeys,
  checkObject,
  checkUuid,
  invalid,
  issueOneOf,
  issueText,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from '../validate.ts'

// The parent object of pages.create and databases.create: exactly one of its id keys, optional `type`.

export type ParentKind = 'page_id' | 'database_id' | 'data_source_id' | 'workspace'
export type ParentSpec = { kind: Exclude<ParentKind, 'workspace'>; id: string } | { kind: 'workspace' }

export function checkParent(value: unknown, kinds: readonly ParentKind[], path = 'body.parent'): Checked<ParentSpec> {
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const parent = value as Json
  const typeIssue = checkEnum(parent.type, kinds, atKey(path, 'type'), true)
  if (typeIssue) return invalid(typeIssue)
  const kind = (parent.type as ParentKind | undefined) ?? kinds.find((k) => k in parent)
  if (!kind || parent[kind] === undefined) {
    // Notion lists every parent it would have accepted ("Fix one:").
    return invalid(issueOneOf(kinds.map((k) => issueUndefined(atKey(path, k)))))
  }
  const keysIssue = checkKnownKeys(parent, ['type', kind], path)
  if (keysIssue) return invalid(keysIssue)
  if (kind === 'workspace') {
    if (parent.workspace !== true) return invalid(issueText(`${atKey(path, 'workspace')} should be \`true\`.`))
    return valid({ kind: 'workspace' })
  }
  const id = checkUuid(parent[kind], atKey(path, kind))
  return id.ok ? valid({ kind, id: id.value }) : id
}
