// The FileStorage contract, run against every store: the local disk, PostgreSQL and an S3-compatible
// server (s3rver). Page files are what users upload: a store that loses, truncates or mixes them up
// loses pages.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeFileStorage } from '../../server/storage/makeFileStorage.ts'
import { FILE_CHUNK_BYTES, InvalidFileKeyError, StoredFileGoneError, type FileStorage } from '../../server/storage/fileStorage.ts'
import { makeLocalFileStorage } from '../../server/storage/localFileStorage.ts'
import { makeS3FileStorage } from '../../server/storage/s3FileStorage.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.ts'
import { makeTestConfig } from '../helpers/config.ts'
import { FILE_STORAGE_KINDS, startFileStorageBackend, type FileStorageBackend } from '../helpers/fileStorageBackends.ts'

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Bytes that differ at every position, so a misplaced chunk cannot go unnoticed. */
function makeBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Uint8Array; largest: number; pieces: number }> {
  const parts: Uint8Array[] = []
  let largest = 0
  for await (const c of chunks) {
    parts.push(c)
    largest = Math.max(largest, c.length)
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), largest, pieces: parts.length }
}

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe.each(FILE_STORAGE_KINDS)('%s file storage', (kind) => {
  let backend: FileStorageBackend
  let dataDir: string
  let storage: FileStorage

  beforeAll(async () => {
    backend = await startFileStorageBackend(kind)
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-storage-'))
    const config = makeTestConfig({ RMIRROR_DATA_DIR: dataDir, ...backend.env })
    storage = await makeFileStorage(config.fileStorage, database.url)
    expect(storage.kind).toBe(kind)
  })
  afterAll(async () => {
    await storage?.close()
    await backend?.close()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('stores bytes under their hash and gives them back; unknown hashes are null', async () => {
    const bytes = makeBytes(200 * 1024, 11)
    const key = sha(bytes)
    expect(await storage.has(key)).toBe(false)
    expect(await storage.get(key)).toBeNull()
    expect(await storage.stream(key)).toBeNull()
    await storage.put(key, bytes)
    expect(await storage.has(key)).toBe(true)
    expect(Buffer.from((await storage.get(key))!).equals(Buffer.from(bytes))).toBe(true)
    await storage.check()
  })

  it('is idempotent: the same file stored twice, or by two writers at once, is one intact file', async () => {
    for (const bytes of [makeBytes(3 * FILE_CHUNK_BYTES + 17, 12), makeBytes(1000, 19)]) {
      const key = sha(bytes)
      await Promise.all([storage.put(key, bytes), storage.put(key, bytes), storage.put(key, bytes)])
      await storage.put(key, bytes)
      expect(sha((await storage.get(key))!)).toBe(key)
    }
  })

  it('keeps a 20 MB file whole and streams it in pieces of at most a chunk', async () => {
    const bytes = makeBytes(20 * 1024 * 1024, 13)
    const key = sha(bytes)
    await storage.put(key, bytes)
    const got = await storage.get(key)
    expect(got!.length).toBe(bytes.length)
    expect(sha(got!)).toBe(key)
    const stream = await storage.stream(key)
    expect(stream!.size).toBe(bytes.length)
    const read = await collect(stream!.chunks)
    expect(sha(read.bytes)).toBe(key)
    expect(read.largest).toBeLessThanOrEqual(FILE_CHUNK_BYTES)
    expect(read.pieces).toBeGreaterThanOrEqual(20)
    await storage.delete(key)
  })

  it('stores an empty file', async () => {
    const key = sha(new Uint8Array())
    await storage.put(key, new Uint8Array())
    expect(await storage.get(key)).toEqual(new Uint8Array())
    expect((await storage.stream(key))!.size).toBe(0)
    await storage.delete(key)
  })

  it('deletes: gone for every reader, deleting again is no error, and the file can be stored again', async () => {
    const bytes = makeBytes(2 * FILE_CHUNK_BYTES, 14)
    const key = sha(bytes)
    await storage.put(key, bytes)
    await storage.delete(key)
    await storage.delete(key)
    expect(await storage.has(key)).toBe(false)
    expect(await storage.get(key)).toBeNull()
    expect(await storage.stream(key)).toBeNull()
    await storage.put(key, bytes)
    expect(sha((await storage.get(key))!)).toBe(key)
  })

  it('a stream opened before a delete fails as gone; one already under way reads the file whole', async () => {
    const bytes = makeBytes(3 * FILE_CHUNK_BYTES, 15)
    const key = sha(bytes)
    await storage.put(key, bytes)
    const notStarted = await storage.stream(key)
    await storage.delete(key)
    await expect(collect(notStarted!.chunks)).rejects.toBeInstanceOf(StoredFileGoneError)

    await storage.put(key, bytes)
    const started = (await storage.stream(key))!
    const iterator = started.chunks[Symbol.asyncIterator]()
    const first = await iterator.next()
    await storage.delete(key)
    const rest = await collect({ [Symbol.asyncIterator]: () => iterator })
    expect(sha(Buffer.concat([first.value as Uint8Array, rest.bytes]))).toBe(key)
  })

  it('a reader that stops early releases what it held (more often than there are connections)', async () => {
    const bytes = makeBytes(3 * FILE_CHUNK_BYTES, 16)
    const key = sha(bytes)
    await storage.put(key, bytes)
    for (let i = 0; i < 12; i++) {
      const stream = (await storage.stream(key))!
      for await (const _ of stream.chunks) break
      // Opened and never read: holds nothing either.
      await storage.stream(key)
    }
    expect(sha((await storage.get(key))!)).toBe(key)
  })

  it('refuses keys that are not a lowercase sha256, before touching the store', async () => {
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), "'; drop table file_blobs; --"]) {
      await expect(storage.put(bad, new Uint8Array([1]))).rejects.toBeInstanceOf(InvalidFileKeyError)
      await expect(storage.get(bad)).rejects.toBeInstanceOf(InvalidFileKeyError)
      await expect(storage.stream(bad)).rejects.toBeInstanceOf(InvalidFileKeyError)
      await expect(storage.has(bad)).rejects.toBeInstanceOf(InvalidFileKeyError)
      await expect(storage.delete(bad)).rejects.toBeInstanceOf(InvalidFileKeyError)
    }
  })

  it.skipIf(kind === 'local')('reads files an earlier version left on the local disk until they are moved; deletes them there too', async () => {
    const old = makeBytes(50_000, 17)
    const key = sha(old)
    const legacyDir = path.join(dataDir, 'files')
    await makeLocalFileStorage(legacyDir).put(key, old)
    const upgraded = await makeFileStorage(makeTestConfig({ RMIRROR_DATA_DIR: dataDir, ...backend.env }).fileStorage, database.url)
    try {
      expect(await storage.has(key)).toBe(false)
      expect(await upgraded.has(key)).toBe(true)
      expect(sha((await upgraded.get(key))!)).toBe(key)
      expect(sha((await collect((await upgraded.stream(key))!.chunks)).bytes)).toBe(key)
      // New files go to the configured store only.
      const fresh = makeBytes(1000, 18)
      await upgraded.put(sha(fresh), fresh)
      expect(await storage.has(sha(fresh))).toBe(true)
      expect(await makeLocalFileStorage(legacyDir).has(sha(fresh))).toBe(false)
      await upgraded.delete(key)
      expect(await upgraded.get(key)).toBeNull()
      expect(await makeLocalFileStorage(legacyDir).has(key)).toBe(false)
    } finally {
      await upgraded.close()
      fs.rmSync(legacyDir, { recursive: true, force: true })
    }
  })
})

describe('postgres file storage rows', () => {
  it('holds a file as one row and chunks of at most 1 MiB, once however often stored, and nothing after delete', async () => {
    const backend = await startFileStorageBackend('postgres')
    const storage = await makeFileStorage(makeTestConfig({ RMIRROR_DATA_DIR: os.tmpdir(), ...backend.env }).fileStorage, database.url)
    try {
      const bytes = makeBytes(2 * FILE_CHUNK_BYTES + 5, 21)
      const key = sha(bytes)
      await storage.put(key, bytes)
      await storage.put(key, bytes)
      const blob = await database.query(`select size::int, chunk_count from file_blobs where sha256 = $1`, [key])
      expect(blob.rows).toEqual([{ size: bytes.length, chunk_count: 3 }])
      const chunks = await database.query(`select seq, length(data) as length from file_blob_chunks where sha256 = $1 order by seq`, [key])
      expect(chunks.rows).toEqual([
        { seq: 0, length: FILE_CHUNK_BYTES },
        { seq: 1, length: FILE_CHUNK_BYTES },
        { seq: 2, length: 5 },
      ])
      await storage.delete(key)
      expect((await database.query(`select count(*)::int as n from file_blob_chunks where sha256 = $1`, [key])).rows[0].n).toBe(0)
    } finally {
      await storage.close()
    }
  })
})

describe('s3 file storage health', () => {
  it('fails its check when the bucket does not exist', async () => {
    const backend = await startFileStorageBackend('s3')
    const storage = makeS3FileStorage({ ...makeTestConfig(backend.env).fileStorage.s3!, bucket: `missing-${randomBytes(4).toString('hex')}` })
    try {
      await expect(storage.check()).rejects.toThrow()
    } finally {
      await storage.close()
      await backend.close()
    }
  })
})
