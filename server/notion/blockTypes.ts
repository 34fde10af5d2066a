// Request-shaped Notion blocks, as this module builds them. They follow the SDK's
// `BlockObjectRequest` shapes, minus its depth typing: a tree built from a page may nest
// arbitrarily deep, and packAppends cuts it into requests that respect the two-level limit.
// Default values (color "default", is_toggleable false, link null, false annotations) are
// omitted: the API treats every one of them as optional, and payload bytes are a limit.

import type { CodeLanguage } from './codeLanguage.ts'

export type RichTextAnnotations = {
  bold?: boolean
  italic?: boolean
  strikethrough?: boolean
  underline?: boolean
  code?: boolean
  color?: 'default'
}

export type RichTextItemRequest = {
  type: 'text'
  text: { content: string; link?: { url: string } }
  annotations?: RichTextAnnotations
}

type TextBody = { rich_text: RichTextItemRequest[]; children?: NotionBlock[] }
type HeadingBody = TextBody & { is_toggleable?: boolean }
export type CalloutIcon = { type: 'emoji'; emoji: string }

export type NotionBlock =
  | { type: 'paragraph'; paragraph: TextBody }
  | { type: 'heading_1'; heading_1: HeadingBody }
  | { type: 'heading_2'; heading_2: HeadingBody }
  | { type: 'heading_3'; heading_3: HeadingBody }
  | { type: 'bulleted_list_item'; bulleted_list_item: TextBody }
  | { type: 'numbered_list_item'; numbered_list_item: TextBody }
  | { type: 'to_do'; to_do: TextBody & { checked: boolean } }
  | { type: 'quote'; quote: TextBody }
  | { type: 'toggle'; toggle: TextBody }
  | { type: 'callout'; callout: TextBody & { icon?: CalloutIcon } }
  | { type: 'code'; code: { rich_text: RichTextItemRequest[]; language: CodeLanguage } }
  | { type: 'divider'; divider: Record<string, never> }

export type NotionBlockType = NotionBlock['type']

type AnyBody = { rich_text?: RichTextItemRequest[]; children?: NotionBlock[] }

function readBody(block: NotionBlock): AnyBody {
  return (block as unknown as Record<string, AnyBody>)[block.type]
}

export function getChildren(block: NotionBlock): NotionBlock[] {
  return readBody(block).children ?? []
}

export function getRichText(block: NotionBlock): RichTextItemRequest[] {
  return readBody(block).rich_text ?? []
}

/** A shallow copy of `block` carrying `children` (none when the list is empty). */
export function withChildren(block: NotionBlock, children: NotionBlock[]): NotionBlock {
  const { children: _dropped, ...rest } = readBody(block)
  const body = children.length > 0 ? { ...rest, children } : rest
  return { type: block.type, [block.type]: body } as unknown as NotionBlock
}

/** The block's own text, rich-text items concatenated. */
export function readPlainText(block: NotionBlock): string {
  return getRichText(block)
    .map((item) => item.text.content)
    .join('')
}

export function isTodoBlock(block: NotionBlock): block is Extract<NotionBlock, { type: 'to_do' }> {
  return block.type === 'to_do'
}
