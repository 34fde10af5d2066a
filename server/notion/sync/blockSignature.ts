// Signatures of blocks: `deep` (everything we send, children included) decides whether a stored
// block still matches what should be there; `shallow` (type, text, checked) recognises one of our
// blocks in a Notion answer, where children and annotations are not at hand, after a crash.
import { createHash } from 'node:crypto'
import { readPlainText, type NotionBlock } from '../blockTypes.ts'

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22)
}

export function signBlockDeep(block: NotionBlock): string {
  return digest(JSON.stringify(block))
}

function makeShallow(type: string, text: string, checked: boolean | undefined): string {
  return digest(`${type}\u0000${text}\u0000${checked === undefined ? '' : checked ? '1' : '0'}`)
}

export function signBlockShallow(block: NotionBlock): string {
  const checked = block.type === 'to_do' ? block.to_do.checked : undefined
  return makeShallow(block.type, readPlainText(block), checked)
}

/** The shallow signature of a block as Notion returns it (blocks.children.list results). */
export function signResponseBlockShallow(block: { type: string; [key: string]: any }): string {
  const body = block[block.type] ?? {}
  const text = (body.rich_text ?? []).map((r: any) => r.plain_text ?? r.text?.content ?? '').join('')
  return makeShallow(block.type, text, block.type === 'to_do' ? !!body.checked : undefined)
}
