import { describe, expect, it } from 'vitest'
import { ConfigError, readConfig } from '../../server/config.ts'

describe('OCR quota configuration', () => {
  it('defaults to 30 free pages (1,000 on pro) per 30 days, and a 768-px image', () => {
    expect(readConfig({}).ocr).toMatchObject({ imageWidth: 768, quota: { plans: { free: 30, pro: 1000 }, periodDays: 30 } })
  })

  it('reads plans as plan:pages pairs, names lower-cased', () => {
    const { quota } = readConfig({ OCR_QUOTA_PLANS: ' free:5 , Team:250,unlimited:999999999', OCR_QUOTA_PERIOD_DAYS: '7' }).ocr
    expect(quota).toEqual({ plans: { free: 5, team: 250, unlimited: 999_999_999 }, periodDays: 7 })
  })

  it('fails at start on a malformed list or one without the free plan, naming the variable', () => {
    expect(() => readConfig({ OCR_QUOTA_PLANS: 'free=30' })).toThrow(ConfigError)
    expect(() => readConfig({ OCR_QUOTA_PLANS: 'free:30,pro:lots' })).toThrow(/^OCR_QUOTA_PLANS: expected plan:pages pairs/)
    expect(() => readConfig({ OCR_QUOTA_PLANS: 'pro:1000' })).toThrow('OCR_QUOTA_PLANS: must give the "free" plan a limit (new users are on it)')
    expect(() => readConfig({ OCR_QUOTA_PERIOD_DAYS: '0' })).toThrow(/^OCR_QUOTA_PERIOD_DAYS: /)
  })
})
