import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { configFilePath, resolveConfigDir, resolveStateDir, writeAgentConfig } from '../../agent/config.ts'
import { runAgentCli, type CliIo } from '../../agent/runAgentCli.ts'
import { DEMO_PAGE_ORDER, HAS_DESKTOP_FIXTURE, REPO_ROOT, demoPageFile, makeTempDirs, nameFixtureSuite, type TempDirs } from './desktopFixture.ts'
import { STUB_TOKEN, startGraphqlStub, type GraphqlStub } from './graphqlStub.ts'

let stub: GraphqlStub
let dirs: TempDirs
let env: Record<string, string | undefined>

beforeEach(async () => {
  stub = await startGraphqlStub()
  dirs = await makeTempDirs(HAS_DESKTOP_FIXTURE)
  env = { RMIRROR_AGENT_CONFIG_DIR: dirs.configDir, RMIRROR_AGENT_STATE_DIR: dirs.stateDir }
})
afterEach(async () => {
  await stub.close()
  await dirs.remove()
})

async function run(argv: string[], options: { stdin?: string; untilInterrupted?: Promise<void>; onStdout?: (all: string) => void } = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: {
      write: (text: string) => {
        stdout += text
        options.onStdout?.(stdout)
      },
      isTTY: false,
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    readStdin: async () => options.stdin ?? '',
    untilInterrupted: options.untilInterrupted ?? new Promise(() => {}),
  }
  const code = await runAgentCli(argv, io)
  return { code, stdout, stderr }
}

describe('agent login', () => {
  it('checks the token, stores url and token owner-only (0600), and never prints the token', async () => {
    const { code, stdout, stderr } = await run(['login', '--url', `${stub.url}/graphql/`, '--token', STUB_TOKEN])
    expect(code).toBe(0)
    expect(stdout).toContain('as ada@example.com')
    expect(stdout + stderr).not.toContain(STUB_TOKEN)
    const file = configFilePath(dirs.configDir)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(dirs.configDir)).mode & 0o777).toBe(0o700)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: stub.url, token: STUB_TOKEN })
    expect(stub.callsOf('Viewer')[0].authorization).toBe(`Bearer ${STUB_TOKEN}`)
  })

  it('refuses a token the server does not accept, saving nothing and not echoing it', async () => {
    const { code, stdout, stderr } = await run(['login', '--url', stub.url, '--token', 'rmc_not_a_real_token'])
    expect(code).toBe(1)
    expect(stderr).toContain('did not accept this token')
    expect(stdout + stderr).not.toContain('rmc_not_a_real_token')
    await expect(stat(configFilePath(dirs.configDir))).rejects.toThrow()
  })

  it('reads the token from standard input with --token -, and logout forgets it', async () => {
    expect((await run(['login', '--url', stub.url, '--token', '-'], { stdin: `${STUB_TOKEN}\n` })).code).toBe(0)
    expect(JSON.parse(await readFile(configFilePath(dirs.configDir), 'utf8')).token).toBe(STUB_TOKEN)
    expect((await run(['logout'])).code).toBe(0)
    await expect(stat(configFilePath(dirs.configDir))).rejects.toThrow()
  })

  it('upload without a login says how to log in', async () => {
    const { code, stderr } = await run(['upload', dirs.folder])
    expect(code).toBe(1)
    expect(stderr).toContain('not logged in')
    expect(stub.calls).toEqual([])
  })
})

describe('where the agent keeps its files', () => {
  it('uses XDG directories, with the RMIRROR_AGENT_* overrides first', () => {
    expect(resolveConfigDir({ XDG_CONFIG_HOME: '/x/config' }, 'linux')).toBe('/x/config/rmirror')
    expect(resolveStateDir({ XDG_STATE_HOME: '/x/state' }, 'linux')).toBe('/x/state/rmirror')
    expect(resolveConfigDir({}, 'linux')).toBe(path.join(homedir(), '.config', 'rmirror'))
    expect(resolveStateDir({}, 'linux')).toBe(path.join(homedir(), '.local', 'state', 'rmirror'))
    expect(resolveConfigDir({ XDG_CONFIG_HOME: '/x', RMIRROR_AGENT_CONFIG_DIR: '/t/c' }, 'linux')).toBe('/t/c')
    expect(resolveStateDir({ XDG_STATE_HOME: '/x', RMIRROR_AGENT_STATE_DIR: '/t/s' }, 'linux')).toBe('/t/s')
  })
})

describe.skipIf(!HAS_DESKTOP_FIXTURE)(nameFixtureSuite('npm run agent'), () => {
  const npmAgent = (args: string[]) =>
    promisify(execFile)('npm', ['run', '--silent', 'agent', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } as NodeJS.ProcessEnv })

  it('a new process resumes from the state on disk: the second run uploads only the edited page', async () => {
    await writeAgentConfig(dirs.configDir, { url: stub.url, token: STUB_TOKEN })
    const first = await npmAgent(['upload', dirs.folder])
    expect(first.stdout).toMatch(/^\[1\/3\] uploaded Demo notebook p\.\d \(/m)
    expect(first.stdout).toContain('done: 3 pages uploaded')
    expect(first.stdout + first.stderr).not.toContain(STUB_TOKEN)
    expect(stub.callsOf('UploadPage')).toHaveLength(3)

    await writeFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[2]), await readFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[0])))
    const second = await npmAgent(['upload', dirs.folder])
    expect(second.stdout).toContain('done: 1 page uploaded')
    expect(stub.calls.slice(4).map((call) => `${call.operationName} ${call.variables.input.pageUuid}`)).toEqual([`UploadPage ${DEMO_PAGE_ORDER[2]}`])
  })

  it('upload exits 1 and names the file when a page is refused', async () => {
    await writeAgentConfig(dirs.configDir, { url: stub.url, token: STUB_TOKEN })
    await writeFile(demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1]), 'garbage')
    const { code, stdout } = await run(['upload', dirs.folder])
    expect(code).toBe(1)
    expect(stdout).toContain(`refused Demo notebook p.2 (${demoPageFile(dirs.folder, DEMO_PAGE_ORDER[1])}): INVALID_FILE`)
    expect(stdout).toContain('done: 2 pages uploaded')
  })

  it('watch runs until interrupted', async () => {
    await writeAgentConfig(dirs.configDir, { url: stub.url, token: STUB_TOKEN })
    let interrupt: () => void = () => {}
    const untilInterrupted = new Promise<void>((resolve) => (interrupt = resolve))
    // Interrupted once the first pass has reported.
    const watching = run(['watch', dirs.folder, '--poll', '100'], { untilInterrupted, onStdout: (all) => all.includes('done:') && interrupt() })
    const { code, stdout } = await watching
    expect(code).toBe(0)
    expect(stdout).toContain('polling every 0.1 s')
    expect(stdout).toMatch(/done: 3 pages uploaded/)
    expect(stdout.trim().split('\n').at(-1)).toBe('stopped')
  })
})
