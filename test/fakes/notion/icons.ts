import {
  atKey,
  checkKnownKeys,
  checkObject,
  checkString,
  invalid,
  issueOneOf,
  issueUndefined,
  valid,
  type Checked,
  type Json,
} from './validate.ts'
import { MAX_URL } from './richText.ts'

// Page and callout icons (emoji or external URL) and page covers (external URL); Notion's other icon
// kinds (file uploads, custom emoji) need objects the fake does not hold.

export type Icon = { type: 'emoji'; emoji: string } | { type: 'external'; external: { url: string } }

export function checkIcon(value: unknown, path: string): Checked<Icon | null> {
  if (value === null) return valid(null)
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  const icon = value as Json
  const kind = icon.type ?? (['emoji', 'external'] as const).find((k) => k in icon)
  if (kind === 'emoji') {
    const keysIssue = checkKnownKeys(icon, ['type', 'emoji'], path)
    if (keysIssue) return invalid(keysIssue)
    const issue = checkString(icon.emoji, atKey(path, 'emoji'))
    return issue ? invalid(issue) : valid({ type: 'emoji', emoji: icon.emoji as string })
  }
  if (kind === 'external') return checkExternal(icon, path)
  return invalid(issueOneOf([issueUndefined(atKey(path, 'emoji')), issueUndefined(atKey(path, 'external'))]))
}

export function checkCover(value: unknown, path: string): Checked<Icon | null> {
  if (value === null) return valid(null)
  const objectIssue = checkObject(value, path)
  if (objectIssue) return invalid(objectIssue)
  return checkExternal(value as Json, path)
}

function checkExternal(obj: Json, path: string): Checked<Icon> {
  const keysIssue = checkKnownKeys(obj, ['type', 'external'], path)
  if (keysIssue) return invalid(keysIssue)
  const externalPath = atKey(path, 'external')
  const objectIssue = checkObject(obj.external, externalPath)
  if (objectIssue) return invalid(objectIssue)
  const external = obj.external as Json
  const externalKeysIssue = checkKnownKeys(external, ['url'], externalPath)
  if (externalKeysIssue) return invalid(externalKeysIssue)
  const urlIssue = checkString(external.url, atKey(externalPath, 'url'), { maxLength: MAX_URL })
  if (urlIssue) return invalid(urlIssue)
  return valid({ type: 'external', external: { url: external.url as string } })
}
