// A configuration for tests: the same reader as production, over a small explicit environment.
import { pino } from 'pino'
import { readConfig, type Config } from '../../server/config.ts'

export function makeTestConfig(env: Record<string, string> = {}): Config {
  return readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', PORT: '0', ...env })
}

// TEST_LOG=debug npm test shows the app's logs.
export const quietLogger = pino({ level: process.env.TEST_LOG ?? 'silent' })
