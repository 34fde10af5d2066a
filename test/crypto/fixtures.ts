// Where the shared Fernet fixtures live (../shared/fixtures beside the repository), and why
// fixture tests skip when they are absent (a user's own clone has no ../shared).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const fernetFixturesDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'fernet')
export const hasFernetFixtures = existsSync(fernetFixturesDir)

/** Appended to a describe title: says why it is skipped, empty when the fixtures are there. */
export const fixturesSkipNote = hasFernetFixtures
  ? ''
  : ` (skipped: ${fernetFixturesDir} is absent; CI checks ../shared out beside the repository)`

export function readFernetFixture<T>(relativePath: string): T {
  return JSON.parse(readFileSync(path.join(fernetFixturesDir, relativePath), 'utf8')) as T
}

export type GenerateVector = { token: string; now: string; iv: number[]; src: string; secret: string }
export type VerifyVector = { token: string; now: string; ttl_sec: number; src: string; secret: string }
export type InvalidVector = { desc: string; token: string; now: string; ttl_sec: number; secret: string }
export type PythonTokens = { key: string; cases: { plaintext: string; token: string }[] }
export type RmirrorConfigs = {
  master_key: string
  users: { user_id: number; email: string; config: Record<string, unknown>; config_encrypted: string }[]
}
