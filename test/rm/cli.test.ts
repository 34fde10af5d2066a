import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { runCli } from '../../server/rm/runCli.ts'
import { HAS_RM_FIXTURES, MISSING_FIXTURES_REASON, REPO_ROOT, RM_FIXTURE_DIR, readExpectedPages } from './fixturePaths.ts'

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

const fixture = (name: string) => path.join(RM_FIXTURE_DIR, name)

describe.skipIf(!HAS_RM_FIXTURES)('npm run rm', () => {
  it('inspect --json prints the summary in the shape of expected.json, plus layers and markdown', async () => {
    const { code, stdout } = await run(['inspect', fixture('Checkbox_styles.rm'), '--json'])
    expect(code).toBe(0)
    const summary = JSON.parse(stdout)
    const expected = readExpectedPages()['Checkbox_styles.rm']
    expect(Object.keys(summary)).toEqual(['strokes', 'points', 'layers', 'paragraphs', 'highlights', 'markdown'])
    expect(summary).toMatchObject({ ...expected, layers: 1 })
    expect(summary.markdown).toContain('- [x] Done item')
  })

  it('inspect without --json prints a readable summary', async () => {
    const { code, stdout } = await run(['inspect', fixture('Wikipedia_highlighted_p2.rm')])
    expect(code).toBe(0)
    expect(stdout).toContain('highlights: 2')
    expect(stdout).toContain('[pink] also')
  })

  it('render writes SVG and PNG files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rm-cli-'))
    try {
      const svgPath = path.join(dir, 'page.svg')
      const pngPath = path.join(dir, 'page.png')
      expect((await run(['render', fixture('Lines_v2.rm'), '-o', svgPath])).code).toBe(0)
      expect(await readFile(svgPath, 'utf8')).toMatch(/^<svg /)
      expect((await run(['render', fixture('Lines_v2.rm'), '-o', pngPath, '--width', '200', '--strokes-only'])).code).toBe(0)
      const png = await readFile(pngPath)
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect(png.readUInt32BE(16)).toBe(200)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the npm script runs the same command', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'rm', '--', 'inspect', fixture('test-crdt-ordering.rm'), '--json'],
      { cwd: REPO_ROOT },
    )
    expect(JSON.parse(stdout).paragraphs).toEqual([{ style: 'heading', text: 'A12_Z' }])
  })
})

describe('npm run rm errors', () => {
  it('an unreadable file exits 1 with the typed error, also as JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rm-cli-'))
    try {
      const file = path.join(dir, 'old.rm')
      await writeFile(file, 'reMarkable .lines file, version=5          ')
      const result = await run(['inspect', file, '--json'])
      expect(result.code).toBe(1)
      expect(JSON.parse(result.stdout).error.code).toBe('unsupported_version')
      expect(result.stderr).toContain('v5')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('bad usage exits 2 and shows usage', async () => {
    expect((await run([])).code).toBe(2)
    expect((await run(['render', 'x.rm'])).stderr).toContain('-o')
    expect((await run(['inspect', 'x.rm', '--bogus'])).stderr).toContain('unknown option')
  })
})

describe.skipIf(HAS_RM_FIXTURES)('npm run rm (fixtures)', () => {
  it.skip(MISSING_FIXTURES_REASON, () => {})
})
