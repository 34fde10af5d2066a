// Reads a whole ZIP archive for tests the way unzip does: from the end-of-central-directory record
// (ZIP64 when present), each central entry, its local header, then the data, checking every CRC.
import { crc32, inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  content: Buffer
  /** Unix mode from the external attributes. */
  mode: number
  modified: { year: number; month: number; day: number }
}

export function readZip(archive: Buffer): ZipEntry[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('no end of central directory')
  let count = archive.readUInt16LE(end + 10)
  let directoryOffset = archive.readUInt32LE(end + 16)
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    const locator = end - 20
    if (archive.readUInt32LE(locator) !== 0x07064b50) throw new Error('ZIP64 locator missing')
    const record = Number(archive.readBigUInt64LE(locator + 8))
    if (archive.readUInt32LE(record) !== 0x06064b50) throw new Error('ZIP64 end record missing')
    count = Number(archive.readBigUInt64LE(record + 32))
    directoryOffset = Number(archive.readBigUInt64LE(record + 48))
  }
  const entries: ZipEntry[] = []
  let at = directoryOffset
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header at ${at}`)
    const flags = archive.readUInt16LE(at + 8)
    const method = archive.readUInt16LE(at + 10)
    const date = archive.readUInt16LE(at + 14)
    const crc = archive.readUInt32LE(at + 16)
    const compressedSize = archive.readUInt32LE(at + 20)
    const size = archive.readUInt32LE(at + 24)
    const nameLength = archive.readUInt16LE(at + 28)
    const extraLength = archive.readUInt16LE(at + 30)
    const commentLength = archive.readUInt16LE(at + 32)
    const mode = archive.readUInt32LE(at + 38) >>> 16
    const localOffset = archive.readUInt32LE(at + 42)
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x0800 ? 'utf8' : 'latin1')
    at += 46 + nameLength + extraLength + commentLength
    if (archive.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
    const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28)
    const raw = archive.subarray(dataStart, dataStart + compressedSize)
    const content = method === 8 ? inflateRawSync(raw) : Buffer.from(raw)
    if (content.length !== size || crc32(content) !== crc) throw new Error(`${name}: size or CRC does not match`)
    entries.push({ name, content, mode, modified: { year: (date >> 9) + 1980, month: (date >> 5) & 15, day: date & 31 } })
  }
  return entries
}
