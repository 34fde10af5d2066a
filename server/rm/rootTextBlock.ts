import type { TaggedReader } from './taggedReader.ts'
import type { StepBudget } from './stepBudget.ts'
import type { DecodedParagraphStyle, DecodedRootText, DecodedTextItem } from './sceneBlockTypes.ts'

/** The sub-block byte that precedes a paragraph style code; always 17 in known files. */
const STYLE_MARKER = 17

/** Reads a count that precedes a list and refuses one that cannot fit in the bytes left. */
function readListCount(reader: TaggedReader, minItemBytes: number, budget: StepBudget): number {
  const count = reader.readVarUint()
  if (count * minItemBytes > reader.remaining) reader.fail(`list of ${count} entries cannot fit in ${reader.remaining} bytes`)
  budget.spend(count)
  return count
}

function readTextItem(reader: TaggedReader): DecodedTextItem {
  return reader.readSubblock(0, () => {
    const id = reader.readId(2)
    const leftId = reader.readId(3)
    const rightId = reader.readId(4)
    const deletedLength = reader.readTaggedUint32(5)
    let value: string | number = ''
    if (reader.remaining > 0 && reader.hasSubblock(6)) {
      const { text, format } = reader.readStringWithFormat(6)
      // A format code travels on an empty string: it is one or the other.
      value = format !== undefined ? format : text
    }
    return { id, leftId, rightId, deletedLength, value }
  })
}

function readParagraphStyle(reader: TaggedReader): DecodedParagraphStyle {
  // The character id comes without a tag, unlike every other id.
  const charId = reader.readRawCrdtId()
  const timestamp = reader.readId(1)
  const code = reader.readSubblock(2, () => {
    const marker = reader.readUint8()
    const styleCode = reader.readUint8()
    return marker === STYLE_MARKER ? styleCode : -1
  })
  return { charId, timestamp, code }
}

/**
 * The page's typed text: a CRDT sequence of text runs, the paragraph styles keyed by the
 * id of the newline that opens each paragraph, and the text box position and width.
 */
export function readRootTextBlock(reader: TaggedReader, budget: StepBudget): DecodedRootText {
  reader.readId(1) // block id, (0,0) in every known file
  const { items, styles } = reader.readSubblock(2, () => {
    const items = reader.readSubblock(1, () =>
      reader.readSubblock(1, () => {
        const count = readListCount(reader, 6, budget)
        const list: DecodedTextItem[] = []
        for (let i = 0; i < count; i++) list.push(readTextItem(reader))
        return list
      }),
    )
    const styles = reader.readSubblock(2, () =>
      reader.readSubblock(1, () => {
        const count = readListCount(reader, 4, budget)
        const list: DecodedParagraphStyle[] = []
        for (let i = 0; i < count; i++) list.push(readParagraphStyle(reader))
        return list
      }),
    )
    return { items, styles }
  })
  const [posX, posY] = reader.readSubblock(3, () => [reader.readFloat64(), reader.readFloat64()])
  const width = reader.readTaggedFloat32(4)
  return { kind: 'root_text', items, styles, posX, posY, width }
}
