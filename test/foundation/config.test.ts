import { describe, expect, it } from 'vitest'
import { readConfig, ConfigError, requireDatabaseUrl } from '../../server/config.ts'

describe('configuration', () => {
  it('has defaults that make npm start work', () => {
    const c = readConfig({}, '/srv/app')
    expect(c).toMatchObject({ port: 4000, dataDir: '/srv/app/.data', databaseUrl: undefined, production: false, serveWeb: true })
    expect(c.notionApiBaseUrl).toBe('https://api.notion.com')
  })

  it('fails at start in production naming each missing required value', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x', INTEGRATION_MASTER_KEY: 'k', SIGNING_SECRET: 's', PUBLIC_URL: 'https://rm.example.com' }
    expect(() => readConfig(base)).not.toThrow()
    for (const name of ['DATABASE_URL', 'INTEGRATION_MASTER_KEY', 'SIGNING_SECRET', 'PUBLIC_URL']) {
      const env: Record<string, string> = { ...base }
      delete env[name]
      expect(() => readConfig(env)).toThrow(new RegExp(`^${name}: is required in production`))
    }
  })

  it('rejects malformed values without echoing secrets', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    const err = (() => {
      try {
        readConfig({ DATABASE_URL: 'not a url with hunter2' })
      } catch (e) {
        return e as Error
      }
    })()
    expect(err?.message).toBe('DATABASE_URL: is not a valid URL')
  })

  it('keeps page files where the database is unless FILE_STORAGE says otherwise', () => {
    expect(readConfig({}, '/srv/app').fileStorage).toEqual({ kind: 'local', localDir: '/srv/app/.data/files', s3: undefined })
    expect(readConfig({ DATABASE_URL: 'postgresql://db/x' }).fileStorage.kind).toBe('postgres')
    expect(readConfig({ DATABASE_URL: 'postgresql://db/x', FILE_STORAGE: 'local' }).fileStorage.kind).toBe('local')
    expect(readConfig({ FILE_STORAGE: 'Postgres' }).fileStorage.kind).toBe('postgres')
    expect(() => readConfig({ FILE_STORAGE: 'disk' })).toThrow(/^FILE_STORAGE: expected local, postgres, s3, got "disk"$/)
  })

  it('needs a bucket for S3 storage, and both halves of a key or neither, never echoing the secret', () => {
    expect(() => readConfig({ FILE_STORAGE: 's3' })).toThrow(/^S3_BUCKET: is required when FILE_STORAGE=s3$/)
    expect(readConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'pages' }).fileStorage.s3).toEqual({
      endpoint: undefined, bucket: 'pages', region: 'us-east-1', accessKeyId: undefined, secretAccessKey: undefined, forcePathStyle: false,
    })
    const full = readConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'pages', S3_ENDPOINT: 'http://minio:9000/', S3_REGION: 'eu-west-3', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'hunter2', S3_FORCE_PATH_STYLE: 'true' })
    expect(full.fileStorage.s3).toEqual({ endpoint: 'http://minio:9000', bucket: 'pages', region: 'eu-west-3', accessKeyId: 'id', secretAccessKey: 'hunter2', forcePathStyle: true })
    expect(() => readConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'pages', S3_SECRET_ACCESS_KEY: 'hunter2' })).toThrow(/^S3_ACCESS_KEY_ID: set both/)
    expect(() => readConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'pages', S3_ACCESS_KEY_ID: 'id' })).toThrow(/^S3_SECRET_ACCESS_KEY: set both/)
    expect(() => readConfig({ FILE_STORAGE: 's3', S3_BUCKET: 'pages', S3_ENDPOINT: 'minio with hunter2' })).toThrow(/^S3_ENDPOINT: is not a valid URL$/)
  })

  it('server and worker alone need DATABASE_URL', () => {
    expect(() => requireDatabaseUrl(readConfig({}))).toThrow(/^DATABASE_URL: is required/)
  })
})
