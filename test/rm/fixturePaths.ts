import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** ../shared/fixtures/rm beside the repository; absent in a user's own clone. */
export const RM_FIXTURE_DIR = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'rm')
export const HAS_RM_FIXTURES = existsSync(path.join(RM_FIXTURE_DIR, 'expected.json'))
export const MISSING_FIXTURES_REASON = `rm fixtures not found at ${RM_FIXTURE_DIR} (they live in ../shared beside the clone)`

export interface ExpectedPage {
  strokes: number
  points: number
  paragraphs: { style: string; text: string }[]
  highlights: { text: string; color: string }[]
}

export function listRmFixtures(): string[] {
  return HAS_RM_FIXTURES ? readdirSync(RM_FIXTURE_DIR).filter((name) => name.endsWith('.rm')).sort() : []
}

export function readRmFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(RM_FIXTURE_DIR, name)))
}

export function readExpectedPages(): Record<string, ExpectedPage> {
  return HAS_RM_FIXTURES ? JSON.parse(readFileSync(path.join(RM_FIXTURE_DIR, 'expected.json'), 'utf8')) : {}
}

export const REPO_ROOT = repoRoot
