import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readConfig, ConfigError, requireDatabaseUrl } from '../../server/config.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The variables named in the first column of README's configuration table. */
function readDocumentedVariables(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? ''
  const names = section
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]))
  return [...new Set(names)].sort()
}

/** The variables readConfig reads, seen through an environment that records every lookup. */
function readConfiguredVariables(): string[] {
  const seen = new Set<string>()
  // Some variables are read only when another selects their feature (S3_* with FILE_STORAGE=s3).
  const featureSelections: Record<string, string>[] = [{}, { FILE_STORAGE: 's3', S3_BUCKET: 'bucket' }]
  for (const given of featureSelections) {
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => (typeof name === 'string' && seen.add(name), typeof name === 'string' ? given[name] : undefined),
    })
    readConfig(env, '/srv/app')
  }
  return [...seen].sort()
}

/** Every source file of the processes that use the configuration, config.ts itself excluded. */
function readSources(): string {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory() && entry.name !== 'generated') walk(full)
      else if (entry.isFile() && full.endsWith('.ts') && full !== path.join(root, 'server/config.ts')) files.push(full)
    }
  }
  for (const dir of ['server', 'worker', 'scripts']) walk(path.join(root, dir))
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
}

describe('configuration', () => {
  it('has defaults that make npm start work', () => {
    const c = readConfig({}, '/srv/app')
    expect(c).toMatchObject({ port: 4000, dataDir: '/srv/app/.data', databaseUrl: undefined, production: false, serveWeb: true })
    expect(c.notionApiBaseUrl).toBe('https://api.notion.com')
  })

  it('fails at start in production naming each missing required value', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x', INTEGRATION_MASTER_KEY: 'k', SIGNING_SECRET: 's' }
    expect(() => readConfig(base)).not.toThrow()
    for (const name of ['DATABASE_URL', 'INTEGRATION_MASTER_KEY', 'SIGNING_SECRET']) {
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

  it("README's configuration table names exactly the variables server/config.ts reads", () => {
    const documented = readDocumentedVariables()
    const read = readConfiguredVariables()
    expect(read.length).toBeGreaterThan(10)
    expect(documented.filter((name) => !read.includes(name)), 'documented but never read').toEqual([])
    expect(read.filter((name) => !documented.includes(name)), 'read but not documented').toEqual([])
  })

  it('every configuration value is used by the code, not only read', () => {
    const sources = readSources()
    const config = readConfig({}, '/srv/app') as unknown as Record<string, unknown>
    const unused: string[] = []
    const visit = (value: Record<string, unknown>, prefix: string) => {
      for (const [key, inner] of Object.entries(value)) {
        // A group used whole (config.ocr passed on) still needs each of its values used somewhere.
        if (inner && typeof inner === 'object' && !Array.isArray(inner) && key !== 'plans') visit(inner as Record<string, unknown>, `${prefix}${key}.`)
        else if (!new RegExp(`[.?]${key}\\b|\\b${key}[,}]|\\{[^}]*\\b${key}\\b[^}]*\\}\\s*=`).test(sources)) unused.push(`${prefix}${key}`)
      }
    }
    visit(config, '')
    expect(unused).toEqual([])
  })
})
