import type { TaggedReader } from './taggedReader.ts'
import type { StepBudget } from './stepBudget.ts'
import type { DecodedGlyphRange, DecodedRect } from './sceneBlockTypes.ts'

const RECT_SIZE = 32

/** A text highlight on a PDF/EPUB page: the text itself, its colour, and where it sits. */
export function readGlyphRange(reader: TaggedReader, budget: StepBudget): DecodedGlyphRange {
  // Since software 3.6 start and length are left out.
  const start = reader.readUint32IfPresent(2)
  const declaredLength = reader.readUint32IfPresent(3)
  const colorId = reader.readTaggedUint32(4)
  const text = reader.readString(5)
  const rects = reader.readSubblock(6, () => {
    const count = reader.readVarUint()
    if (count * RECT_SIZE > reader.remaining) reader.fail(`${count} rectangles do not fit in ${reader.remaining} bytes`)
    budget.spend(count)
    const list: DecodedRect[] = []
    for (let i = 0; i < count; i++) {
      list.push({ x: reader.readFloat64(), y: reader.readFloat64(), w: reader.readFloat64(), h: reader.readFloat64() })
    }
    return list
  })
  const glyph: DecodedGlyphRange = { length: declaredLength ?? Array.from(text).length, text, colorId, rects }
  if (start !== undefined) glyph.start = start
  const rgba = reader.readRgbaIfPresent(10)
  if (rgba) glyph.rgba = rgba
  return glyph
}
