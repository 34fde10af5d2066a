// A server process of its own for benches that load it from outside (subscribers, reads): started by
// startBenchServer with fork, it answers "stats" with its CPU time, memory and open subscriptions, so
// the figures are the server's alone, not the load generator's.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'

export interface ServerStats {
  /** CPU time used so far, user + system, in ms. */
  cpuMs: number
  rssBytes: number
  heapUsedBytes: number
  subscriptions: number
}

export interface BenchServer {
  url: string
  pid: number
  stats(): Promise<ServerStats>
  /** Starts profiling the server (if BENCH_CPU_PROF is set); the returned function stops and writes it. */
  profile(name: string): Promise<() => Promise<void>>
  stop(): Promise<void>
}

type Reply = { url: string } | { stats: ServerStats } | { profiling: boolean }

/**
 * Starts `server/` in a child process on the given database. With BENCH_CPU_PROF=<dir>, the bench
 * profiles the server's CPU over the phases it measures (profile(name)) and writes <dir>/<name>.cpuprofile:
 * open it in Chrome DevTools or summarise it with `tsx bench/lib/summariseProfile.ts <file>`.
 */
export async function startBenchServer(databaseUrl: string): Promise<BenchServer> {
  // BENCH_SERVER_NODE_OPTIONS: flags for the server's node, e.g. "--max-semi-space-size=64".
  const nodeOptions = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rmirror-bench-server-'))
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['serve'], {
    execArgv: ['--import', 'tsx', ...nodeOptions],
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const replies: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = []
  child.on('message', (m) => replies.shift()?.resolve(m as Reply))
  child.on('exit', (code) => {
    for (const r of replies.splice(0)) r.reject(new Error(`bench server exited (${code})`))
  })
  const next = () => new Promise<Reply>((resolve, reject) => replies.push({ resolve, reject }))
  const started = (await next()) as { url: string }
  return {
    url: started.url,
    pid: child.pid!,
    async stats() {
      const reply = next()
      child.send('stats')
      return ((await reply) as { stats: ServerStats }).stats
    },
    async profile(name) {
      const dir = process.env.BENCH_CPU_PROF
      if (!dir) return async () => {}
      const started = next()
      child.send({ profile: 'start' })
      await started
      return async () => {
        const written = next()
        child.send({ profile: 'stop', file: path.resolve(dir, `${name}.cpuprofile`) })
        await written
        console.log(`  (server CPU profile: ${path.resolve(dir, `${name}.cpuprofile`)})`)
      }
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r))
      child.send('stop')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function serve() {
  const { readConfig } = await import('../../server/config.ts')
  const { startServer } = await import('../../server/startServer.ts')
  const { generateMasterKey } = await import('../../server/crypto/keys.ts')
  const config = readConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', SERVE_WEB: 'false', MIGRATE_ON_START: 'false',
    RMIRROR_DATA_DIR: process.env.BENCH_DATA_DIR!, INTEGRATION_MASTER_KEY: generateMasterKey(),
    API_RATE_LIMIT_PER_SECOND: '1000000', API_RATE_LIMIT_BURST: '1000000',
    // One session holds every subscriber of the bench: the per-token and per-connection socket limits are lifted.
    WS_SUBSCRIPTIONS_PER_TOKEN: '1000000', WS_OPERATIONS_PER_SECOND: '1000000', WS_OPERATION_BURST: '1000000',
  })
  const server = await startServer(config, process.env.BENCH_DATABASE_URL!, pino({ level: process.env.BENCH_LOG ?? 'silent' }))
  const { Session } = await import('node:inspector/promises')
  const { mkdirSync, writeFileSync } = await import('node:fs')
  const inspector = new Session()
  process.on('message', async (m: any) => {
    if (m?.profile === 'start') {
      inspector.connect()
      await inspector.post('Profiler.enable')
      await inspector.post('Profiler.setSamplingInterval', { interval: 500 })
      await inspector.post('Profiler.start')
      process.send!({ profiling: true })
    } else if (m?.profile === 'stop') {
      const { profile } = await inspector.post('Profiler.stop')
      inspector.disconnect()
      mkdirSync(path.dirname(m.file), { recursive: true })
      writeFileSync(m.file, JSON.stringify(profile))
      process.send!({ profiling: false })
    } else if (m === 'stats') {
      const cpu = process.cpuUsage()
      const mem = process.memoryUsage()
      process.send!({ stats: { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, subscriptions: server.services.events.size } })
    } else if (m === 'stop') {
      await server.stop()
      // Exiting (not waiting for the event loop) lets --cpu-prof write its profile.
      process.exit(0)
    }
  })
  process.send!({ url: server.url })
}

if (process.argv[2] === 'serve') await serve()
