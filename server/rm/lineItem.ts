import type { TaggedReader } from './taggedReader.ts'
import type { StepBudget } from './stepBudget.ts'
import type { DecodedLine, DecodedPoint } from './sceneBlockTypes.ts'

/** Bytes per point: version 1 stores six float32s, version 2 packs them into 14 bytes. */
const POINT_SIZE: Record<number, number> = { 1: 24, 2: 14 }

/**
 * Version 1 points store physical values as floats; they are converted to the integer
 * scales version 2 uses (speed ×4, width ×4 rounded, direction in 1/255 turns, pressure 0–255)
 * so both encodings come out alike.
 */
function readPointV1(reader: TaggedReader): DecodedPoint {
  const x = reader.readFloat32()
  const y = reader.readFloat32()
  const speed = reader.readFloat32() * 4
  const direction = (255 * reader.readFloat32()) / (Math.PI * 2)
  const width = Math.round(reader.readFloat32() * 4)
  const pressure = reader.readFloat32() * 255
  return { x, y, speed, width, direction, pressure }
}

function readPointV2(reader: TaggedReader): DecodedPoint {
  const x = reader.readFloat32()
  const y = reader.readFloat32()
  const speed = reader.readUint16()
  const width = reader.readUint16()
  const direction = reader.readUint8()
  const pressure = reader.readUint8()
  return { x, y, speed, width, direction, pressure }
}

/** A stroke's value; `version` is the line block's current version, which picks the point encoding. */
export function readLine(reader: TaggedReader, version: number, budget: StepBudget): DecodedLine {
  const pointSize = POINT_SIZE[version]
  if (pointSize === undefined) reader.fail(`unknown line version ${version}`)
  const toolId = reader.readTaggedUint32(1)
  const colorId = reader.readTaggedUint32(2)
  const thicknessScale = reader.readTaggedFloat64(3)
  const startingLength = reader.readTaggedFloat32(4)
  const points = reader.readSubblock(5, (length) => {
    if (length % pointSize !== 0) reader.fail(`point data of ${length} bytes is not a multiple of ${pointSize}`)
    const count = length / pointSize
    budget.spend(count)
    const readPoint = version === 1 ? readPointV1 : readPointV2
    const list: DecodedPoint[] = new Array(count)
    for (let i = 0; i < count; i++) list[i] = readPoint(reader)
    return list
  })
  reader.readId(6) // timestamp; not used
  const line: DecodedLine = { toolId, colorId, thicknessScale, startingLength, points }
  // Later software versions append a move id (7) and an explicit colour (8).
  const moveId = reader.readIdIfPresent(7)
  if (moveId) line.moveId = moveId
  const rgba = reader.readRgbaIfPresent(8)
  if (rgba) line.rgba = rgba
  return line
}
