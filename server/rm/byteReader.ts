import { BlockReadFailure } from './errors.ts'
import { makeCrdtId, type CrdtId } from './crdtId.ts'

const utf8 = new TextDecoder('utf-8', { fatal: false })

/**
 * Little-endian reads over a window [pos, end) of a byte array. Reading past `end`
 * fails the current block instead of returning garbage, so every length taken from
 * the file is implicitly bounded by the bytes that are really there.
 */
export class ByteReader {
  readonly view: DataView
  pos: number
  end: number

  constructor(readonly bytes: Uint8Array, start = 0, end = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.pos = start
    this.end = end
  }

  get remaining(): number {
    return this.end - this.pos
  }

  fail(message: string): never {
    throw new BlockReadFailure(`${message} at byte ${this.pos}`, this.pos)
  }

  private claim(n: number): number {
    if (n < 0 || n > this.end - this.pos) this.fail(`need ${n} bytes, ${this.end - this.pos} left`)
    const at = this.pos
    this.pos += n
    return at
  }

  readUint8(): number {
    return this.view.getUint8(this.claim(1))
  }

  readBool(): boolean {
    return this.readUint8() !== 0
  }

  readUint16(): number {
    return this.view.getUint16(this.claim(2), true)
  }

  readUint32(): number {
    return this.view.getUint32(this.claim(4), true)
  }

  readFloat32(): number {
    return this.view.getFloat32(this.claim(4), true)
  }

  readFloat64(): number {
    return this.view.getFloat64(this.claim(8), true)
  }

  readBytes(n: number): Uint8Array {
    const at = this.claim(n)
    return this.bytes.subarray(at, at + n)
  }

  readUtf8(n: number): string {
    return utf8.decode(this.readBytes(n))
  }

  skip(n: number): void {
    this.claim(n)
  }

  /**
   * LEB128 unsigned integer, at most 10 bytes (64 bits). Arithmetic instead of bit
   * operators because JavaScript bit operators are 32-bit; values above 2^53 lose precision.
   */
  readVarUint(): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      const byte = this.readUint8()
      result += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return result
      scale *= 128
    }
    return this.fail('varuint longer than 10 bytes')
  }

  /** An id as stored without a tag: one byte author, varuint counter. */
  readRawCrdtId(): CrdtId {
    const author = this.readUint8()
    const counter = this.readVarUint()
    return makeCrdtId(author, counter)
  }
}
