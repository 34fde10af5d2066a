// FileStorage in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2, Garage…): for
// operators who keep large files out of the database. Objects are `files/<sha256>`; the bucket must
// exist (it is not created here: its policy and lifecycle are the operator's).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import type { S3Settings } from '../config.ts'
import { assertSha256, readWhole, StoredFileGoneError, type FileStorage } from './fileStorage.ts'

const KEY_PREFIX = 'files/'

export function makeS3FileStorage(settings: S3Settings): FileStorage {
  const client = new S3Client(makeS3ClientConfig(settings))
  const { bucket } = settings
  const keyOf = (sha256: string) => {
    assertSha256(sha256)
    return `${KEY_PREFIX}${sha256}`
  }

  async function* readBody(sha256: string): AsyncGenerator<Uint8Array> {
    let body: AsyncIterable<Uint8Array> & { destroy?: () => void }
    try {
      body = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))).Body as any
    } catch (err) {
      if (isNotFound(err)) throw new StoredFileGoneError(sha256)
      throw err
    }
    try {
      // The HTTP response's own pieces (tens of KB): nothing larger is held.
      yield* body
    } finally {
      body.destroy?.()
    }
  }

  const storage: FileStorage = {
    kind: 's3',
    async put(sha256, bytes) {
      // No existence check first: writing the same bytes under the same key again is harmless, and a
      // new file (the usual case) then costs one request, not two.
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(sha256), Body: bytes, ContentLength: bytes.length, ContentType: 'application/octet-stream' }))
    },
    async get(sha256) {
      let response
      try {
        response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
      const body = response.Body as any as AsyncIterable<Uint8Array> & { destroy?: () => void }
      try {
        if (response.ContentLength !== undefined) return await readWhole({ size: response.ContentLength, chunks: body }, sha256)
        // A server that sent no length (chunked): gather the pieces, then join them once.
        const pieces: Uint8Array[] = []
        for await (const piece of body) pieces.push(piece)
        const whole = Buffer.concat(pieces)
        return new Uint8Array(whole.buffer, whole.byteOffset, whole.length)
      } finally {
        body.destroy?.()
      }
    },
    async stream(sha256) {
      let size: number
      try {
        size = Number((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))).ContentLength ?? 0)
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
      return { size, chunks: readBody(sha256) }
    },
    async has(sha256) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))
        return true
      } catch (err) {
        if (isNotFound(err)) return false
        throw err
      }
    },
    async delete(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }))
    },
    async close() {
      client.destroy()
    },
  }
  return storage
}

export function makeS3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId && settings.secretAccessKey ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } } : {}),
    // Other S3-compatible servers refuse or mishandle the CRC checksums the SDK adds to every request
    // by default since 2025; send them only where an operation requires one.
    ...(settings.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    // A stalled connection fails (and is retried by the SDK, 3 attempts) instead of hanging a job.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } }
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}
