import { describe, expect, it } from 'vitest'
import { maskSecret, REDACTED, redactSecrets } from '../../server/crypto/mask.ts'

describe('maskSecret', () => {
  it('shows only the last 4 characters of a long secret', () => {
    expect(maskSecret('secret_abcdefghijklmnopwxyz')).toBe('••••wxyz')
    expect(maskSecret('123456789012')).toBe('••••9012')
  })

  it('masks short secrets fully, with a length-independent mask', () => {
    expect(maskSecret('12345678901')).toBe('••••••••')
    expect(maskSecret('abcd')).toBe('••••••••')
    expect(maskSecret('a')).toBe('••••••••')
    expect(maskSecret('')).toBe('')
  })

  it('counts characters, not UTF-16 units, so emoji are never split', () => {
    expect(maskSecret('ntn_0123456789🙂🙂🙂🙂')).toBe('••••🙂🙂🙂🙂')
  })
})

describe('redactSecrets', () => {
  it('replaces the values of secret-named keys at any depth, case-insensitively', () => {
    const input = {
      user: 'ana',
      access_token: 'secret_1',
      config: { Password: 'pw', notionApiKey: 'k1', api_key: 'k2', 'api-key': 'k3', apikey: 'k4' },
      headers: [{ Authorization: 'Bearer abc', accept: 'json' }],
      client_secret: { nested: 'whole object goes' },
      refreshTokens: ['t1', 't2'],
      count: 3,
    }
    expect(redactSecrets(input)).toEqual({
      user: 'ana',
      access_token: REDACTED,
      config: { Password: REDACTED, notionApiKey: REDACTED, api_key: REDACTED, 'api-key': REDACTED, apikey: REDACTED },
      headers: [{ Authorization: REDACTED, accept: 'json' }],
      client_secret: REDACTED,
      refreshTokens: REDACTED,
      count: 3,
    })
  })

  it('leaves the input untouched', () => {
    const input = { token: 'secret_keep', inner: { password: 'pw' } }
    redactSecrets(input)
    expect(input).toEqual({ token: 'secret_keep', inner: { password: 'pw' } })
  })

  it('handles cycles, shared objects, errors, dates and class instances', () => {
    class Connection {
      constructor(readonly host: string, readonly password: string) {}
    }
    const shared = { apiKey: 'k' }
    const loop: Record<string, unknown> = { name: 'loop', secret: 's' }
    loop.self = loop
    const error = Object.assign(new Error('request failed'), { authorization: 'Bearer t' })
    const when = new Date('2026-01-01T00:00:00Z')
    const out = redactSecrets({ a: shared, b: shared, loop, error, when, conn: new Connection('db', 'pw') }) as Record<string, any>
    expect(out.a).toEqual({ apiKey: REDACTED })
    expect(out.b).toEqual({ apiKey: REDACTED })
    expect(out.loop).toEqual({ name: 'loop', secret: REDACTED, self: '[Circular]' })
    expect(out.error).toMatchObject({ name: 'Error', message: 'request failed', authorization: REDACTED })
    expect(out.when).toBe(when)
    expect(out.conn).toEqual({ host: 'db', password: REDACTED })
    expect(JSON.stringify(out)).not.toMatch(/Bearer t|"pw"|"k"|"s"/)
  })

  it('passes primitives through', () => {
    expect(redactSecrets('token')).toBe('token')
    expect(redactSecrets(null)).toBe(null)
    expect(redactSecrets(5)).toBe(5)
  })
})
