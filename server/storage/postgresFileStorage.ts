// FileStorage in PostgreSQL: every server and worker, on any machine, reads the same files through the
// database they already share, and one backup holds the library and its files.
//
// A file is a row in file_blobs (its size and chunk count) and rows of at most FILE_CHUNK_BYTES in
// file_blob_chunks, written in one transaction, so a reader sees the whole file or none of it. One
// chunk travels per statement: reading or writing a 20 MB file never holds more than one chunk (and
// its hex text form, 2 MiB) beside the file itself, on either side of the connection, instead of a
// 20 MB value PostgreSQL would assemble and send as 40 MB of hex. Chunks are stored uncompressed
// (SET STORAGE EXTERNAL in the migration): page files barely compress and trying costs write speed.
//
// It has its own small pool of plain node-postgres connections rather than Prisma's: Prisma's raw
// queries map bytea results about ten times slower (measured: 4.1 s against 0.37 s for 20 MiB).
import pg from 'pg'
import { assertSha256, FILE_CHUNK_BYTES, readWhole, StoredFileGoneError, type FileStorage, type StoredFileStream } from './fileStorage.ts'

export interface PostgresFileStorageOptions {
  /** Connections this process opens for files (default 4: the reads one worker or server runs at once). */
  poolSize?: number
  chunkBytes?: number
  onConnectionError?: (err: Error) => void
}

const READ_FIRST = `
  select b.size::text as size, b.chunk_count, c.data
  from file_blobs b left join file_blob_chunks c on c.sha256 = b.sha256 and c.seq = 0
  where b.sha256 = $1`

const PUT_ONE_CHUNK = `
  with blob as (insert into file_blobs (sha256, size, chunk_count) values ($1, $2, 1) on conflict do nothing returning sha256)
  insert into file_blob_chunks (sha256, seq, data) select sha256, 0, $3 from blob`

export function makePostgresFileStorage(databaseUrl: string, options: PostgresFileStorageOptions = {}): FileStorage {
  const chunkBytes = options.chunkBytes ?? FILE_CHUNK_BYTES
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4, idleTimeoutMillis: 10_000 })
  const onConnectionError = (err: Error) => options.onConnectionError?.(err)
  // As in server/db.ts: a backend terminated under a checked-out client must not crash the process.
  pool.on('connect', (client) => client.on('error', onConnectionError))
  pool.on('error', onConnectionError)

  async function* readChunks(sha256: string, count: number, first: Buffer | null): AsyncGenerator<Uint8Array> {
    if (count === 0) return
    if (!first) throw new StoredFileGoneError(sha256)
    // One chunk: read whole already, by one statement.
    if (count === 1) return void (yield first)
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      // One snapshot from the start of the reading: a delete committed meanwhile does not cut the file
      // short. (The first chunk, read before, is the same bytes: a file never changes under its hash.)
      await client.query('begin isolation level repeatable read read only')
      const still = await client.query('select 1 from file_blobs where sha256 = $1', [sha256])
      if (!still.rowCount) throw new StoredFileGoneError(sha256)
      yield first
      for (let seq = 1; seq < count; seq++) {
        const { rows } = await client.query<{ data: Buffer }>('select data from file_blob_chunks where sha256 = $1 and seq = $2', [sha256, seq])
        if (!rows.length) throw new Error(`Stored file ${sha256} lacks chunk ${seq} of ${count}`)
        yield rows[0].data
      }
      await client.query('commit')
    } catch (err) {
      broken = err as Error
      throw err
    } finally {
      // Also when the reader stopped early (return()): end the snapshot before the connection goes back.
      await client.query('rollback').catch((err) => (broken ??= err))
      client.release(broken instanceof StoredFileGoneError ? undefined : broken)
    }
  }

  const storage: FileStorage = {
    kind: 'postgres',
    async put(sha256, bytes) {
      assertSha256(sha256)
      const count = Math.ceil(bytes.length / chunkBytes)
      const piece = (seq: number) => {
        const start = seq * chunkBytes
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(chunkBytes, bytes.length - start))
      }
      // Most page files fit one chunk: one statement (its own transaction), one round trip.
      if (count === 1) return void (await pool.query(PUT_ONE_CHUNK, [sha256, bytes.length, piece(0)]))
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('begin')
        // Content-addressed: a row already there (or being written by a concurrent put, which this
        // waits for) holds the same bytes.
        const claimed = await client.query('insert into file_blobs (sha256, size, chunk_count) values ($1, $2, $3) on conflict do nothing', [sha256, bytes.length, count])
        if (claimed.rowCount) {
          for (let seq = 0; seq < count; seq++) await client.query('insert into file_blob_chunks (sha256, seq, data) values ($1, $2, $3)', [sha256, seq, piece(seq)])
        }
        await client.query('commit')
      } catch (err) {
        broken = err as Error
        await client.query('rollback').catch(() => {})
        throw err
      } finally {
        client.release(broken)
      }
    },
    async get(sha256) {
      const stream = await storage.stream(sha256)
      if (!stream) return null
      try {
        return await readWhole(stream, sha256)
      } catch (err) {
        if (err instanceof StoredFileGoneError) return null
        throw err
      }
    },
    async stream(sha256): Promise<StoredFileStream | null> {
      assertSha256(sha256)
      const { rows } = await pool.query<{ size: string; chunk_count: number; data: Buffer | null }>(READ_FIRST, [sha256])
      if (!rows.length) return null
      const { size, chunk_count, data } = rows[0]
      return { size: Number(size), chunks: readChunks(sha256, chunk_count, data) }
    },
    async has(sha256) {
      assertSha256(sha256)
      return !!(await pool.query('select 1 from file_blobs where sha256 = $1', [sha256])).rowCount
    },
    async delete(sha256) {
      assertSha256(sha256)
      await pool.query('delete from file_blobs where sha256 = $1', [sha256])
    },
    async check() {
      await pool.query('select 1 from file_blobs limit 0')
    },
    async close() {
      await pool.end()
    },
  }
  return storage
}
