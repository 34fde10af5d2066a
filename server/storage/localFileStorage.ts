// FileStorage on the local disk: <root>/<aa>/<bb>/<sha256>, written atomically (temp file + rename).
// One machine only: a second server or worker elsewhere cannot see these files.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { assertSha256, FILE_CHUNK_BYTES, StoredFileGoneError, type FileStorage } from './fileStorage.ts'

export function makeLocalFileStorage(root: string): FileStorage {
  const base = path.resolve(root)
  const pathOf = (sha256: string) => {
    assertSha256(sha256)
    return path.join(base, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }
  return {
    kind: 'local',
    async put(sha256, bytes) {
      const file = pathOf(sha256)
      try {
        await fs.access(file)
        return // content-addressed: already there means the same bytes
      } catch {}
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
      await fs.writeFile(temp, bytes, { mode: 0o600 })
      await fs.rename(temp, file)
    },
    async get(sha256) {
      try {
        const bytes = await fs.readFile(pathOf(sha256))
        // A view of the same memory (new Uint8Array(buffer) would copy the file).
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
      } catch (err: any) {
        if (err?.code === 'ENOENT') return null
        throw err
      }
    },
    async stream(sha256) {
      const file = pathOf(sha256)
      let size: number
      try {
        size = (await fs.stat(file)).size
      } catch (err: any) {
        if (err?.code === 'ENOENT') return null
        throw err
      }
      return { size, chunks: readChunks(file, sha256) }
    },
    async has(sha256) {
      const file = pathOf(sha256)
      try {
        await fs.access(file)
        return true
      } catch {
        return false
      }
    },
    async delete(sha256) {
      await fs.rm(pathOf(sha256), { force: true })
    },
    async check() {
      await fs.mkdir(base, { recursive: true, mode: 0o700 })
      await fs.access(base, fs.constants.W_OK)
    },
    async close() {},
  }
}

async function* readChunks(file: string, sha256: string): AsyncGenerator<Uint8Array> {
  const input = createReadStream(file, { highWaterMark: FILE_CHUNK_BYTES })
  try {
    for await (const chunk of input) yield chunk as Buffer
  } catch (err: any) {
    if (err?.code === 'ENOENT') throw new StoredFileGoneError(sha256)
    throw err
  } finally {
    input.destroy()
  }
}
