import { ByteReader } from './byteReader.ts'
import type { CrdtId } from './crdtId.ts'

/** The low nibble of a tag says what follows it. */
export const TagType = {
  byte1: 0x1,
  byte4: 0x4,
  byte8: 0x8,
  length4: 0xc,
  id: 0xf,
} as const
export type TagTypeValue = (typeof TagType)[keyof typeof TagType]

const tagTypeNames: Record<number, string> = { 1: 'byte1', 4: 'byte4', 8: 'byte8', 12: 'length4', 15: 'id' }

/** A last-write-wins value: the timestamp decides which of two concurrent writes stands. */
export interface LwwValue<T> {
  timestamp: CrdtId
  value: T
}

/**
 * Reads the tagged values inside a block: every value is preceded by a varuint tag
 * `index << 4 | type`; a `length4` tag opens a sub-block whose length is a uint32.
 */
export class TaggedReader extends ByteReader {
  /** The next tag without consuming it, or undefined if there is none at this position. */
  peekTag(): { index: number; type: number } | undefined {
    if (this.pos >= this.end) return undefined
    const start = this.pos
    try {
      const tag = this.readVarUint()
      return { index: Math.floor(tag / 16), type: tag % 16 }
    } catch {
      return undefined
    } finally {
      this.pos = start
    }
  }

  isNext(index: number, type: TagTypeValue): boolean {
    const tag = this.peekTag()
    return tag !== undefined && tag.index === index && tag.type === type
  }

  expectTag(index: number, type: TagTypeValue): void {
    const start = this.pos
    const tag = this.peekTag()
    if (tag === undefined || tag.index !== index || tag.type !== type) {
      const found = tag ? `index ${tag.index} type ${tagTypeNames[tag.type] ?? `0x${tag.type.toString(16)}`}` : 'no tag'
      this.fail(`expected index ${index} type ${tagTypeNames[type]}, found ${found}`)
    }
    this.pos = start
    this.readVarUint()
  }

  readId(index: number): CrdtId {
    this.expectTag(index, TagType.id)
    return this.readRawCrdtId()
  }

  readTaggedBool(index: number): boolean {
    this.expectTag(index, TagType.byte1)
    return this.readBool()
  }

  readTaggedByte(index: number): number {
    this.expectTag(index, TagType.byte1)
    return this.readUint8()
  }

  readTaggedUint32(index: number): number {
    this.expectTag(index, TagType.byte4)
    return this.readUint32()
  }

  readTaggedFloat32(index: number): number {
    this.expectTag(index, TagType.byte4)
    return this.readFloat32()
  }

  readTaggedFloat64(index: number): number {
    this.expectTag(index, TagType.byte8)
    return this.readFloat64()
  }

  readUint32IfPresent(index: number): number | undefined {
    return this.isNext(index, TagType.byte4) ? this.readTaggedUint32(index) : undefined
  }

  readIdIfPresent(index: number): CrdtId | undefined {
    return this.isNext(index, TagType.id) ? this.readId(index) : undefined
  }

  /** Colour packed in a uint32 as B,G,R,A bytes (little-endian ARGB); returned as [r, g, b, a]. */
  readRgbaIfPresent(index: number): [number, number, number, number] | undefined {
    const packed = this.readUint32IfPresent(index)
    if (packed === undefined) return undefined
    return [(packed >>> 16) & 0xff, (packed >>> 8) & 0xff, packed & 0xff, (packed >>> 24) & 0xff]
  }

  hasSubblock(index: number): boolean {
    return this.isNext(index, TagType.length4)
  }

  /**
   * Runs `readContent` confined to the sub-block's bytes, then moves past the sub-block,
   * skipping whatever a newer format put there that `readContent` did not read.
   */
  readSubblock<T>(index: number, readContent: (length: number) => T): T {
    this.expectTag(index, TagType.length4)
    const length = this.readUint32()
    if (length > this.remaining) this.fail(`sub-block ${index} declares ${length} bytes, ${this.remaining} left`)
    const outerEnd = this.end
    const subEnd = this.pos + length
    this.end = subEnd
    try {
      const result = readContent(length)
      this.pos = subEnd
      return result
    } finally {
      this.end = outerEnd
    }
  }

  readLww<T>(index: number, readValue: () => T): LwwValue<T> {
    return this.readSubblock(index, () => {
      const timestamp = this.readId(1)
      return { timestamp, value: readValue() }
    })
  }

  readLwwBool(index: number): LwwValue<boolean> {
    return this.readLww(index, () => this.readTaggedBool(2))
  }

  readLwwByte(index: number): LwwValue<number> {
    return this.readLww(index, () => this.readTaggedByte(2))
  }

  readLwwFloat32(index: number): LwwValue<number> {
    return this.readLww(index, () => this.readTaggedFloat32(2))
  }

  readLwwId(index: number): LwwValue<CrdtId> {
    return this.readLww(index, () => this.readId(2))
  }

  readLwwString(index: number): LwwValue<string> {
    return this.readLww(index, () => this.readString(2))
  }

  /** A string sub-block: varuint byte length, one flag byte, UTF-8 bytes. */
  readString(index: number): string {
    return this.readStringWithFormat(index).text
  }

  /**
   * A string sub-block that may end with a uint32 format code (index 2). Text items
   * carry inline bold/italic switches this way, on an empty string.
   */
  readStringWithFormat(index: number): { text: string; format?: number } {
    return this.readSubblock(index, () => {
      const byteLength = this.readVarUint()
      this.readUint8() // flag byte; always 1 in known files, meaning unknown
      const text = this.readUtf8(byteLength)
      const format = this.readUint32IfPresent(2)
      return format === undefined ? { text } : { text, format }
    })
  }
}
