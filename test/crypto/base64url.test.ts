import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from '../../server/crypto/base64url.ts'

describe('URL-safe base64', () => {
  it('round-trips any bytes, padded as Python pads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64Url(bytes)
        expect(text.length % 4).toBe(0)
        expect(decodeBase64Url(text)!.equals(Buffer.from(bytes))).toBe(true)
        expect(decodeBase64Url(text.replace(/=+$/, ''))!.equals(Buffer.from(bytes))).toBe(true)
      }),
    )
  })

  it('accepts exactly one spelling per byte string', () => {
    expect(decodeBase64Url('QQ==')).toEqual(Buffer.from('A'))
    expect(decodeBase64Url('QR==')).toBeNull() // same bytes to a lenient decoder: stray trailing bits
    expect(decodeBase64Url('QQ=')).toBeNull()
    expect(decodeBase64Url('QQ===')).toBeNull()
    expect(decodeBase64Url('Q')).toBeNull()
    expect(decodeBase64Url('Pz8/')).toBeNull() // standard alphabet
    expect(decodeBase64Url('Pz8_')).toEqual(Buffer.from('???'))
    expect(decodeBase64Url('QQ ==')).toBeNull()
    expect(decodeBase64Url('Q=Q=')).toBeNull()
  })
})
