// Where uploaded page files live, addressed by their sha256. Callers see only this interface: the
// local disk (one machine), PostgreSQL or an S3-compatible bucket (any number of machines) are
// interchangeable behind it (server/storage/makeFileStorage.ts picks one from the configuration).
import type { FileStorageKind } from '../config.ts'

export interface FileStorage {
  readonly kind: FileStorageKind
  /** Stores bytes under their sha256 (the caller computed it). Idempotent; readers never see part of a file. */
  put(sha256: string, bytes: Uint8Array): Promise<void>
  /**
   * The bytes, or null when nothing is stored under that hash. Needs the file's size in memory and a
   * bounded amount more (one chunk), whatever the store.
   */
  get(sha256: string): Promise<Uint8Array | null>
  /**
   * The bytes in pieces of at most about a chunk (1 MiB), for readers that pass them on without
   * holding the whole file; null when nothing is stored. Nothing is opened until iteration starts,
   * and breaking out of the loop releases what was. A file deleted while being read throws
   * StoredFileGoneError.
   */
  stream(sha256: string): Promise<StoredFileStream | null>
  has(sha256: string): Promise<boolean>
  /** Removes the file; nothing stored is not an error. */
  delete(sha256: string): Promise<void>
  /** Throws when the store cannot be used (health checks). */
  check(): Promise<void>
  /** Releases connections; the store is not used after. */
  close(): Promise<void>
}

export interface StoredFileStream {
  size: number
  chunks: AsyncIterable<Uint8Array>
}

/** The largest piece a store reads or writes at once (PostgreSQL rows, local read buffers). */
export const FILE_CHUNK_BYTES = 1024 * 1024

export const SHA256_HEX = /^[0-9a-f]{64}$/

export class InvalidFileKeyError extends Error {
  constructor() {
    super('A stored file is addressed by a lowercase sha256 hex digest')
    this.name = 'InvalidFileKeyError'
  }
}

export class StoredFileGoneError extends Error {
  constructor(sha256: string) {
    super(`Stored file ${sha256} was deleted while being read`)
    this.name = 'StoredFileGoneError'
  }
}

/** Paths, keys and SQL are built only from a checked digest, never from caller input as such. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new InvalidFileKeyError()
}

/** Collects a stream into one buffer of its announced size (no growing copies). */
export async function readWhole(stream: StoredFileStream, sha256: string): Promise<Uint8Array> {
  const out = Buffer.allocUnsafe(stream.size)
  let offset = 0
  for await (const chunk of stream.chunks) {
    if (offset + chunk.length > out.length) throw new Error(`Stored file ${sha256} is longer than its recorded ${stream.size} bytes`)
    out.set(chunk, offset)
    offset += chunk.length
  }
  if (offset !== out.length) throw new Error(`Stored file ${sha256} is shorter (${offset} bytes) than its recorded ${stream.size}`)
  return new Uint8Array(out.buffer, out.byteOffset, out.length)
}
