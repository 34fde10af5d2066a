import { inflateSync } from 'node:zlib'

export interface DecodedImage {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel, rows top to bottom. */
  pixels: Uint8Array
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Minimal PNG decoder for tests: 8-bit RGB/RGBA, not interlaced (what resvg writes). */
export function decodePng(png: Uint8Array): DecodedImage {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let width = 0
  let height = 0
  let colorType = 0
  const idat: Uint8Array[] = []
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const data = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = view.getUint32(at + 8)
      height = view.getUint32(at + 12)
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG layout')
      colorType = data[9]
    } else if (type === 'IDAT') idat.push(data)
    at += 12 + length
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0
  if (channels === 0) throw new Error(`unsupported colour type ${colorType}`)
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const rows = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? rows[y * stride + x - channels] : 0
      const up = y > 0 ? rows[(y - 1) * stride + x] : 0
      const upLeft = y > 0 && x >= channels ? rows[(y - 1) * stride + x - channels] : 0
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter]
      rows[y * stride + x] = (line[x] + predictor) & 0xff
    }
  }
  const pixels = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    pixels.set(rows.subarray(i * channels, i * channels + 3), i * 4)
    pixels[i * 4 + 3] = channels === 4 ? rows[i * channels + 3] : 255
  }
  return { width, height, pixels }
}

export function readPixel(image: DecodedImage, x: number, y: number): [number, number, number] {
  const at = (Math.round(y) * image.width + Math.round(x)) * 4
  return [image.pixels[at], image.pixels[at + 1], image.pixels[at + 2]]
}
