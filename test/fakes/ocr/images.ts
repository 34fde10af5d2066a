// What the fake learns from an image part: the real API decodes the bytes, so the fake does too.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp'

export interface RecordedImage {
  /** 'data' for a base64 data URL, 'http' for a link (not fetched). */
  source: 'data' | 'http'
  /** Declared media type of a data URL. */
  mediaType: string | null
  detail: string | null
  /** Decoded size in bytes (data URLs). */
  byteLength: number
  format: ImageFormat | null
  isPng: boolean
  width: number | null
  height: number | null
  /** The decoded bytes (data URLs), for tests that compare them with what was sent. */
  bytes: Uint8Array | null
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (PNG_MAGIC.every((byte, at) => bytes[at] === byte)) return 'png'
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp'
  return null
}

/** Width and height from a PNG's IHDR chunk (it must come first). */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** OpenAI's documented cost of a high-detail image: fit in 2048², shortest side to 768, 170 per 512² tile + 85. */
export function estimateImageTokens(image: RecordedImage): number {
  if (image.detail === 'low' || image.width === null || image.height === null) return 85
  let { width, height } = image
  const fit = Math.min(1, 2048 / Math.max(width, height))
  width *= fit
  height *= fit
  const shrink = Math.min(1, 768 / Math.min(width, height))
  width *= shrink
  height *= shrink
  return 85 + 170 * Math.ceil(width / 512) * Math.ceil(height / 512)
}
