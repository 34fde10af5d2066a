// The first block of every notebook page we write: it says where the page comes from, and the
// sections are appended after it.
import type { NotionBlock } from '../blockTypes.ts'

const ANCHOR_TEXT = 'Mirrored from reMarkable by rmirror. The sections below follow your notebook; notes you add to blocks that do not change are kept.'

export function makeAnchorBlock(): NotionBlock {
  return { type: 'paragraph', paragraph: { rich_text: [{ type: 'text', text: { content: ANCHOR_TEXT }, annotations: { italic: true } }] } }
}
