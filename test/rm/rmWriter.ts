import { V6_HEADER } from '../../server/rm/blockStream.ts'

/** Builds block bodies for hand-made test files, in the format's tagged encoding. */
export class BodyWriter {
  private readonly bytes: number[] = []

  u8(value: number): this {
    this.bytes.push(value & 0xff)
    return this
  }

  u32(value: number): this {
    const view = new DataView(new ArrayBuffer(4))
    view.setUint32(0, value, true)
    return this.raw(new Uint8Array(view.buffer))
  }

  f32(value: number): this {
    const view = new DataView(new ArrayBuffer(4))
    view.setFloat32(0, value, true)
    return this.raw(new Uint8Array(view.buffer))
  }

  f64(value: number): this {
    const view = new DataView(new ArrayBuffer(8))
    view.setFloat64(0, value, true)
    return this.raw(new Uint8Array(view.buffer))
  }

  varuint(value: number): this {
    let rest = value
    do {
      const low = rest % 128
      rest = Math.floor(rest / 128)
      this.u8(rest > 0 ? low | 0x80 : low)
    } while (rest > 0)
    return this
  }

  raw(bytes: Uint8Array | number[]): this {
    for (const byte of bytes) this.bytes.push(byte)
    return this
  }

  tag(index: number, type: number): this {
    return this.varuint(index * 16 + type)
  }

  id(index: number, author: number, counter: number): this {
    return this.tag(index, 0xf).u8(author).varuint(counter)
  }

  int(index: number, value: number): this {
    return this.tag(index, 0x4).u32(value)
  }

  subblock(index: number, fill: (writer: BodyWriter) => void): this {
    const inner = new BodyWriter()
    fill(inner)
    const body = inner.toBytes()
    return this.tag(index, 0xc).u32(body.length).raw(body)
  }

  string(index: number, text: string, format?: number): this {
    const encoded = new TextEncoder().encode(text)
    return this.subblock(index, (w) => {
      w.varuint(encoded.length).u8(1).raw(encoded)
      if (format !== undefined) w.int(2, format)
    })
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes)
  }
}

export function makeBlock(type: number, body: Uint8Array, minVersion = 1, currentVersion = 1): Uint8Array {
  const header = new BodyWriter().u32(body.length).u8(0).u8(minVersion).u8(currentVersion).u8(type).toBytes()
  return concatBytes([header, body])
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

export function makeRmFile(blocks: Uint8Array[]): Uint8Array {
  return concatBytes([new TextEncoder().encode(V6_HEADER), ...blocks])
}

export interface TextRun {
  id: [number, number]
  left: [number, number]
  right: [number, number]
  text?: string
  format?: number
  deleted?: number
}

/** A root text block holding `runs` and paragraph styles keyed by character id. */
export function makeRootTextBlock(runs: TextRun[], styles: { char: [number, number]; code: number }[]): Uint8Array {
  const body = new BodyWriter()
    .id(1, 0, 0)
    .subblock(2, (w) => {
      w.subblock(1, (items) =>
        items.subblock(1, (list) => {
          list.varuint(runs.length)
          for (const run of runs) {
            list.subblock(0, (item) => {
              item.id(2, ...run.id).id(3, ...run.left).id(4, ...run.right).int(5, run.deleted ?? 0)
              if (run.format !== undefined) item.string(6, '', run.format)
              else if (run.text) item.string(6, run.text)
            })
          }
        }),
      )
      w.subblock(2, (formats) =>
        formats.subblock(1, (list) => {
          list.varuint(styles.length)
          for (const style of styles) {
            list.u8(style.char[0]).varuint(style.char[1]).id(1, 1, 1).subblock(2, (s) => s.u8(17).u8(style.code))
          }
        }),
      )
    })
    .subblock(3, (w) => w.f64(-468).f64(234))
    .tag(4, 0x4)
    .f32(936)
    .toBytes()
  return makeBlock(0x07, body)
}
