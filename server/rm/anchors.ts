import type { GroupAnchor } from './sceneBlockTypes.ts'
import type { LaidOutParagraph } from './textLayout.ts'
import type { TypedText } from './text.ts'

/** Anchor ids the tablet uses for "above all text" and "below all text". */
const ANCHOR_TEXT_TOP = 0xfffffffffffe
const ANCHOR_TEXT_BOTTOM = 0xffffffffffff

/**
 * Where an anchored group's origin lies. Groups of strokes written next to typed text
 * store points relative to a character: x from the anchor's origin, y from the top of
 * the line holding that character, so they follow the text when it reflows. An anchor
 * whose character cannot be found keeps y = 0, as rmc does.
 */
export function makeAnchorPlacer(
  text: TypedText | undefined,
  layout: readonly LaidOutParagraph[],
  textTop: number,
): (anchor: GroupAnchor) => { x: number; y: number } {
  const textBottom = layout.length > 0 ? layout[layout.length - 1].bottom : textTop
  return (anchor) => {
    const x = Number.isFinite(anchor.originX) ? anchor.originX : 0
    const { author, counter } = anchor.charId
    if (author === 0 && counter === ANCHOR_TEXT_TOP) return { x, y: textTop }
    if (author === 0 && counter === ANCHOR_TEXT_BOTTOM) return { x, y: textBottom }
    const paragraph = text?.findParagraphOfChar(anchor.charId)
    return { x, y: paragraph === undefined ? 0 : layout[paragraph].top }
  }
}
