// `npm run server` and `npm run worker` as separate processes, as on separate machines: what they share
// is only what their environment names.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..', '..')

export interface SpawnedProcess {
  child: ChildProcess
  /** Everything it printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM, then its exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>
}

export function spawnEntry(entry: 'server/index.ts' | 'worker/index.ts', env: Record<string, string>): SpawnedProcess {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json', ...env }
  // Nothing of the test runner's that would change what the process decides by itself.
  delete fullEnv.VITEST
  for (const name of ['FILE_STORAGE', 'S3_ENDPOINT', 'S3_BUCKET']) if (!(name in env)) delete fullEnv[name]
  // tsx as a loader in this very process (its CLI would be a second process a signal may not reach).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], { cwd: root, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return {
    child,
    output: () => output,
    stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
        child.once('exit', (code) => {
          clearTimeout(timer)
          resolve(code)
        })
        child.kill('SIGTERM')
      })
    },
  }
}

/** Waits for GET /healthz to answer 200; fails with the process's output if it exits first. */
export async function waitForHealthy(baseUrl: string, proc: SpawnedProcess, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`exited (${proc.child.exitCode}) before it was healthy:\n${proc.output()}`)
    const res = await fetch(`${baseUrl}/healthz`).catch(() => undefined)
    if (res?.status === 200) return (await res.json()) as Record<string, unknown>
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`not healthy in ${timeoutMs} ms:\n${proc.output()}`)
}
