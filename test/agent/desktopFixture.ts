// ../shared/fixtures/remarkable-desktop (a tiny copy of the desktop app's folder) and temp copies of it.
import { existsSync } from 'node:fs'
import { chmod, cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DESKTOP_FIXTURE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'remarkable-desktop')
export const HAS_DESKTOP_FIXTURE = existsSync(path.join(DESKTOP_FIXTURE_DIR, 'README.md'))
export const MISSING_DESKTOP_FIXTURE_REASON = `desktop fixture not found at ${DESKTOP_FIXTURE_DIR} (it lives in ../shared beside the clone)`

/** A suite title that says why it was skipped when the fixture is absent. */
export function nameFixtureSuite(title: string): string {
  return HAS_DESKTOP_FIXTURE ? title : `${title} (skipped: ${MISSING_DESKTOP_FIXTURE_REASON})`
}

// From the fixture's README.
export const WORK_FOLDER_UUID = '5a0c7e2d-1f3b-4c6a-8e9d-0b1c2d3e4f50'
export const DEMO_NOTEBOOK_UUID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'
export const DEMO_PAGE_ORDER = ['0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a52', '2a3b4c5d-6e7f-4801-9b2c-3d4e5f6a7b83']
export const DELETED_PAGE_UUID = '3b4c5d6e-7f80-4912-8c3d-4e5f6a7b8c94'

export function demoPageFile(folder: string, pageUuid: string): string {
  return path.join(folder, DEMO_NOTEBOOK_UUID, `${pageUuid}.rm`)
}

export interface TempDirs {
  /** A writable copy of the fixture folder. */
  folder: string
  stateDir: string
  configDir: string
  root: string
  remove(): Promise<void>
}

/** The fixture is read-only; its copy is made writable so tests can edit pages. */
export async function makeTempDirs(withFixture = true): Promise<TempDirs> {
  const root = await mkdtemp(path.join(tmpdir(), 'rmirror-agent-'))
  const folder = path.join(root, 'desktop')
  if (withFixture) {
    await cp(DESKTOP_FIXTURE_DIR, folder, { recursive: true })
    await makeWritable(folder)
  }
  return { folder, stateDir: path.join(root, 'state'), configDir: path.join(root, 'config'), root, remove: () => rm(root, { recursive: true, force: true }) }
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) await makeWritable(full)
    else await chmod(full, 0o644)
  }
}
