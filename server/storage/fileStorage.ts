// Where uploaded page files live, addressed by their sha256. Callers see only this interface, so an
// S3-compatible store can replace the local one without touching them.
export interface FileStorage {
  /** Stores bytes under their sha256 (the caller computed it). Idempotent. */
  put(sha256: string, bytes: Uint8Array): Promise<void>
  /** The bytes, or null when nothing is stored under that hash. */
  get(sha256: string): Promise<Uint8Array | null>
  delete(sha256: string): Promise<void>
}

export const SHA256_HEX = /^[0-9a-f]{64}$/

export class InvalidFileKeyError extends Error {
  constructor() {
    super('A stored file is addressed by a lowercase sha256 hex digest')
    this.name = 'InvalidFileKeyError'
  }
}

/** Paths are built only from a checked digest, never from caller input as such. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new InvalidFileKeyError()
}
