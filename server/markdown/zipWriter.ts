// A streaming ZIP writer (PKWARE APPNOTE 6.3): each file is compressed and written as it comes, so an
// export holds one file at a time, plus ~50 bytes and the name of each file for the central directory
// at the end. Names are UTF-8 (flag bit 11). ZIP64 records are added only when the archive needs
// them (more than 65,535 files, or more than 4 GiB before the directory).
import { crc32, deflateRaw, deflateRawSync } from 'node:zlib'
import { promisify } from 'node:util'

const deflate = promisify(deflateRaw)
// Below this, compressing on the main thread costs less than the hop to the thread pool; above, the
// event loop stays free while a big notebook is compressed.
const SYNC_DEFLATE_BELOW = 32 * 1024

const LOCAL_HEADER = 0x04034b50
const CENTRAL_HEADER = 0x02014b50
const END_OF_CENTRAL = 0x06054b50
const ZIP64_END_OF_CENTRAL = 0x06064b50
const ZIP64_LOCATOR = 0x07064b50
const UTF8_NAMES = 0x0800
const STORE = 0
const DEFLATE = 8
const MADE_BY_UNIX = (3 << 8) | 45
const FILE_MODE = 0o100644
const MAX_U16 = 0xffff
const MAX_U32 = 0xffffffff

export interface ZipWriter {
  /** Compresses and writes one file; `write` is awaited, so the caller's back-pressure holds. */
  addFile(name: string, content: string | Uint8Array, modified?: Date): Promise<void>
  /** Writes the central directory; the archive is complete once it resolves. */
  finish(): Promise<void>
  /** Bytes written so far. */
  readonly bytesWritten: number
}

export function makeZipWriter(write: (chunk: Buffer) => Promise<void>): ZipWriter {
  const central: Buffer[] = []
  let offset = 0
  let count = 0
  const emit = async (chunk: Buffer) => {
    await write(chunk)
    offset += chunk.length
  }
  return {
    get bytesWritten() {
      return offset
    },
    async addFile(name, content, modified = new Date()) {
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
      const deflated = data.length < SYNC_DEFLATE_BELOW ? deflateRawSync(data) : await deflate(data)
      // Stored as is when compressing does not make it smaller (an empty file, a tiny one).
      const method = deflated.length < data.length ? DEFLATE : STORE
      const compressed = method === DEFLATE ? deflated : data
      const crc = crc32(data)
      const nameBytes = Buffer.from(name, 'utf8')
      const { time, date } = toDosDateTime(modified)
      // Single files here are far below 4 GiB (a notebook's text); refuse rather than write a broken archive.
      if (data.length >= MAX_U32 || compressed.length >= MAX_U32) throw new Error(`${name} is too large for this ZIP writer`)
      const local = Buffer.alloc(30)
      local.writeUInt32LE(LOCAL_HEADER, 0)
      local.writeUInt16LE(20, 4)
      local.writeUInt16LE(UTF8_NAMES, 6)
      local.writeUInt16LE(method, 8)
      local.writeUInt16LE(time, 10)
      local.writeUInt16LE(date, 12)
      local.writeUInt32LE(crc, 14)
      local.writeUInt32LE(compressed.length, 18)
      local.writeUInt32LE(data.length, 22)
      local.writeUInt16LE(nameBytes.length, 26)
      local.writeUInt16LE(0, 28)
      const localOffset = offset
      await emit(Buffer.concat([local, nameBytes]))
      await emit(compressed)
      central.push(makeCentralHeader(nameBytes, method, crc, compressed.length, data.length, time, date, localOffset))
      count++
    },
    async finish() {
      const directoryOffset = offset
      for (const header of central) await emit(header)
      const directorySize = offset - directoryOffset
      const needsZip64 = count > MAX_U16 || directoryOffset >= MAX_U32 || directorySize >= MAX_U32
      if (needsZip64) {
        const zip64EndOffset = offset
        const record = Buffer.alloc(56)
        record.writeUInt32LE(ZIP64_END_OF_CENTRAL, 0)
        record.writeBigUInt64LE(44n, 4)
        record.writeUInt16LE(MADE_BY_UNIX, 12)
        record.writeUInt16LE(45, 14)
        record.writeBigUInt64LE(BigInt(count), 24)
        record.writeBigUInt64LE(BigInt(count), 32)
        record.writeBigUInt64LE(BigInt(directorySize), 40)
        record.writeBigUInt64LE(BigInt(directoryOffset), 48)
        const locator = Buffer.alloc(20)
        locator.writeUInt32LE(ZIP64_LOCATOR, 0)
        locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8)
        locator.writeUInt32LE(1, 16)
        await emit(Buffer.concat([record, locator]))
      }
      const end = Buffer.alloc(22)
      end.writeUInt32LE(END_OF_CENTRAL, 0)
      end.writeUInt16LE(Math.min(count, MAX_U16), 8)
      end.writeUInt16LE(Math.min(count, MAX_U16), 10)
      end.writeUInt32LE(Math.min(directorySize, MAX_U32), 12)
      end.writeUInt32LE(Math.min(directoryOffset, MAX_U32), 16)
      await emit(end)
    },
  }
}

function makeCentralHeader(name: Buffer, method: number, crc: number, compressedSize: number, size: number, time: number, date: number, localOffset: number): Buffer {
  const farOffset = localOffset >= MAX_U32
  const extra = farOffset ? Buffer.alloc(12) : Buffer.alloc(0)
  if (farOffset) {
    extra.writeUInt16LE(0x0001, 0)
    extra.writeUInt16LE(8, 2)
    extra.writeBigUInt64LE(BigInt(localOffset), 4)
  }
  const header = Buffer.alloc(46)
  header.writeUInt32LE(CENTRAL_HEADER, 0)
  header.writeUInt16LE(MADE_BY_UNIX, 4)
  header.writeUInt16LE(farOffset ? 45 : 20, 6)
  header.writeUInt16LE(UTF8_NAMES, 8)
  header.writeUInt16LE(method, 10)
  header.writeUInt16LE(time, 12)
  header.writeUInt16LE(date, 14)
  header.writeUInt32LE(crc, 16)
  header.writeUInt32LE(compressedSize, 20)
  header.writeUInt32LE(size, 24)
  header.writeUInt16LE(name.length, 28)
  header.writeUInt16LE(extra.length, 30)
  header.writeUInt32LE((FILE_MODE << 16) >>> 0, 38)
  header.writeUInt32LE(farOffset ? MAX_U32 : localOffset, 42)
  return Buffer.concat([header, name, extra])
}

/** MS-DOS date and time (local fields, 2-second steps, 1980–2107), here in UTC. */
function toDosDateTime(when: Date): { time: number; date: number } {
  const year = Math.min(Math.max(when.getUTCFullYear(), 1980), 2107)
  const clamped = year !== when.getUTCFullYear()
  const d = clamped ? new Date(Date.UTC(year, 0, 1)) : when
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  }
}
