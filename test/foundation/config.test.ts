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

  it('server and worker alone need DATABASE_URL', () => {
    expect(() => requireDatabaseUrl(readConfig({}))).toThrow(/^DATABASE_URL: is required/)
  })
})
