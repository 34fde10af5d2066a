// The file stores every storage test runs against: the environment that selects each (FILE_STORAGE and
// its settings) and, for S3, a local S3-compatible server (s3rver) on a free port with a fresh bucket.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import { FILE_STORAGE_KINDS, type FileStorageKind } from '../../server/config.ts'

export { FILE_STORAGE_KINDS }

export interface FileStorageBackend {
  kind: FileStorageKind
  /** Merged into a test app's or a spawned process's environment. */
  env: Record<string, string>
  close(): Promise<void>
}

export async function startFileStorageBackend(kind: FileStorageKind): Promise<FileStorageBackend> {
  if (kind !== 's3') return { kind, env: { FILE_STORAGE: kind }, close: async () => {} }
  const s3 = await startS3rver()
  return { kind, env: s3.env, close: s3.close }
}

export interface LocalS3 {
  url: string
  bucket: string
  env: Record<string, string>
  close(): Promise<void>
}

/** s3rver (an S3 API over a folder) on 127.0.0.1 and a free port, with one empty bucket. */
export async function startS3rver(bucket = 'rmirror-test'): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-s3rver-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    bucket,
    // s3rver's fixed credentials; path-style addressing (no bucket subdomains on 127.0.0.1).
    env: { FILE_STORAGE: 's3', S3_ENDPOINT: url, S3_BUCKET: bucket, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true' },
    async close() {
      await server.close()
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}
