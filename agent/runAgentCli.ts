// `npm run agent -- login|logout|upload|watch …`: argument parsing and output. The work lives in
// uploadPass.ts and watch.ts; the I/O is passed in so tests can run the commands in-process.
import { parseArgs } from 'node:util'
import { createApiClient, isAuthError } from './api.ts'
import { normalizeServiceUrl, readAgentConfig, removeAgentConfig, resolveConfigDir, resolveStateDir, writeAgentConfig, type AgentConfig } from './config.ts'
import { createReporter, formatBytes, type OutputStream } from './progress.ts'
import type { PassSummary } from './uploadPass.ts'
import { runUploadPass } from './uploadPass.ts'
import { startWatch } from './watch.ts'
import { DEFAULT_VAULT_FOLDER, openVault, type VaultSummary } from './obsidian/vaultSync.ts'
import { startVaultWatch } from './obsidian/vaultWatch.ts'

export interface CliIo {
  stdout: OutputStream
  stderr: OutputStream
  env: Record<string, string | undefined>
  readStdin: () => Promise<string>
  /** Resolves when the user asks the watch to stop (Ctrl-C). */
  untilInterrupted: Promise<void>
}

const USAGE = `Usage: npm run agent -- <command>

  login --url URL --token TOKEN   check the API token (made in the dashboard, scope "agent") and save it
                                  (--token - reads it from standard input)
  logout                          forget the saved URL and token
  upload FOLDER                   mirror the reMarkable desktop folder once
  watch FOLDER                    mirror it, then keep mirroring changes until Ctrl-C
        --concurrency N           uploads at once (default 4)
        --poll MS                 watch: scan every MS milliseconds instead of file-system events
  obsidian VAULT                  write every notebook as Markdown into the vault (what changed since the last run)
        --watch                   then keep writing each change as the server announces it, until Ctrl-C
        --folder NAME             the vault folder the notebooks go into (default ${DEFAULT_VAULT_FOLDER})
        --archive NAME            move deleted notebooks' files to this vault folder instead of removing them
                                  (the token needs the "read" scope as well as "agent")

Settings: ${'$'}XDG_CONFIG_HOME/rmirror/agent.json; state: ${'$'}XDG_STATE_HOME/rmirror/ (never inside FOLDER).
`

export async function runAgentCli(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        concurrency: { type: 'string' },
        poll: { type: 'string' },
        watch: { type: 'boolean' },
        folder: { type: 'string' },
        archive: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    return failUsage(io, (err as Error).message)
  }
  const { values, positionals } = parsed
  const [command, folder, ...extra] = positionals
  if (values.help || !command) {
    io.stdout.write(USAGE)
    return values.help ? 0 : 2
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency)
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32)) return failUsage(io, '--concurrency must be a whole number from 1 to 32')
  const pollMs = values.poll === undefined ? undefined : Number(values.poll)
  if (pollMs !== undefined && !(Number.isFinite(pollMs) && pollMs >= 50)) return failUsage(io, '--poll must be a number of milliseconds (at least 50)')

  switch (command) {
    case 'login':
      return runLogin(io, values.url, values.token)
    case 'logout': {
      const removed = await removeAgentConfig(resolveConfigDir(io.env))
      io.stdout.write(removed ? 'logged out: the saved token is deleted\n' : 'not logged in\n')
      return 0
    }
    case 'upload':
    case 'watch': {
      if (!folder || extra.length) return failUsage(io, `${command} takes one FOLDER`)
      const config = await readAgentConfig(resolveConfigDir(io.env))
      if (!config) return fail(io, 'not logged in: run `npm run agent -- login --url URL --token TOKEN` first')
      return command === 'upload' ? runUpload(io, config, folder, concurrency) : runWatch(io, config, folder, concurrency, pollMs)
    }
    case 'obsidian': {
      if (!folder || extra.length) return failUsage(io, 'obsidian takes one VAULT folder')
      const config = await readAgentConfig(resolveConfigDir(io.env))
      if (!config) return fail(io, 'not logged in: run `npm run agent -- login --url URL --token TOKEN` first')
      const vault = { vault: folder, folder: values.folder, archive: values.archive ?? null, url: config.url, token: config.token, stateDir: resolveStateDir(io.env) }
      return values.watch ? runVaultWatch(io, vault) : runVaultOnce(io, vault)
    }
    default:
      return failUsage(io, `unknown command ${command}`)
  }
}

async function runLogin(io: CliIo, urlArg: string | undefined, tokenArg: string | undefined): Promise<number> {
  if (!urlArg || !tokenArg) return failUsage(io, 'login needs --url URL and --token TOKEN')
  const url = normalizeServiceUrl(urlArg)
  if (!url.ok) return fail(io, url.message)
  const token = (tokenArg === '-' ? await io.readStdin() : tokenArg).trim()
  if (!token) return fail(io, 'the token is empty')
  const api = createApiClient({ url: url.url, token, retry: { maxAttempts: 3 } })
  const viewer = await api.fetchViewer()
  if (!viewer.ok && !isAuthError(viewer.error)) return fail(io, `could not check the token with ${url.url}: ${viewer.error.code}: ${viewer.error.message}`)
  if (!viewer.ok || !viewer.value) return fail(io, `${url.url} did not accept this token (make one in the dashboard with the "agent" scope)`)
  const file = await writeAgentConfig(resolveConfigDir(io.env), { url: url.url, token })
  io.stdout.write(`logged in to ${url.url} as ${viewer.value.email}; settings saved in ${file}\n`)
  return 0
}

async function runUpload(io: CliIo, config: AgentConfig, folder: string, concurrency: number | undefined): Promise<number> {
  const reporter = createReporter(io.stdout)
  const summary = await runUploadPass({ folder, url: config.url, token: config.token, stateDir: resolveStateDir(io.env), concurrency, log: reporter.log, progress: reporter.progress })
  if (summary.aborted) return fail(io, `${summary.aborted.code}: ${summary.aborted.message}`)
  io.stdout.write(`${formatSummary(summary)}\n`)
  for (const skipped of summary.pagesSkipped) io.stdout.write(`not sent ${skipped.file}: ${skipped.reason}\n`)
  return summary.pagesFailed.length || summary.problems.length || summary.pagesSkipped.length ? 1 : 0
}

async function runWatch(io: CliIo, config: AgentConfig, folder: string, concurrency: number | undefined, pollMs: number | undefined): Promise<number> {
  const reporter = createReporter(io.stdout)
  const handle = startWatch({
    folder,
    url: config.url,
    token: config.token,
    stateDir: resolveStateDir(io.env),
    concurrency,
    log: reporter.log,
    progress: reporter.progress,
    ...(pollMs !== undefined ? { mode: 'poll' as const, pollIntervalMs: pollMs } : {}),
    onPass: (summary) => {
      // A pass that found nothing to do stays quiet: watch runs one after every burst of changes.
      const quiet = !summary.aborted && summary.notebooksSynced + summary.notebooksDeleted + summary.pagesUploaded + summary.pagesFailed.length + summary.problems.length === 0
      if (!quiet) reporter.log(`${new Date().toISOString()} ${formatSummary(summary)}`)
    },
  })
  const outcome = await Promise.race([handle.done, io.untilInterrupted.then(() => 'interrupted' as const)])
  if (outcome === 'interrupted') {
    await handle.stop()
    io.stdout.write('stopped\n')
    return 0
  }
  return outcome ? fail(io, `${outcome.code}: ${outcome.message}`) : 0
}

type VaultCliOptions = { vault: string; folder?: string; archive: string | null; url: string; token: string; stateDir: string }

async function runVaultOnce(io: CliIo, options: VaultCliOptions): Promise<number> {
  const log = (line: string) => void io.stdout.write(`${line}\n`)
  const opened = await openVault({ ...options, log })
  if (!opened.ok) return fail(io, `${opened.error.code}: ${opened.error.message}`)
  for (const warning of opened.warnings) log(warning)
  try {
    const summary = await opened.session.syncAll()
    if (summary.aborted) return fail(io, `${summary.aborted.code}: ${summary.aborted.message}`)
    log(formatVaultSummary(summary, opened.session.target.folder))
    return summary.failed.length ? 1 : 0
  } finally {
    await opened.session.close()
  }
}

async function runVaultWatch(io: CliIo, options: VaultCliOptions): Promise<number> {
  const log = (line: string) => void io.stdout.write(`${line}\n`)
  const handle = startVaultWatch({
    ...options,
    log,
    onSummary: (summary) => {
      const quiet = !summary.aborted && summary.written + summary.moved + summary.conflicts + summary.removed + summary.archived + summary.kept + summary.failed.length === 0
      if (!quiet) log(`${new Date().toISOString()} ${formatVaultSummary(summary, options.folder ?? DEFAULT_VAULT_FOLDER)}`)
    },
  })
  log(`writing ${options.vault} (${options.folder ?? DEFAULT_VAULT_FOLDER}/) as the server announces changes; Ctrl-C stops`)
  const outcome = await Promise.race([handle.done, io.untilInterrupted.then(() => 'interrupted' as const)])
  if (outcome === 'interrupted') {
    await handle.stop()
    io.stdout.write('stopped\n')
    return 0
  }
  return outcome ? fail(io, `${outcome.code}: ${outcome.message}`) : 0
}

export function formatVaultSummary(s: VaultSummary, folder: string): string {
  const parts = [`${s.written} written`, `${s.unchanged} unchanged`]
  if (s.moved) parts.push(`${s.moved} moved`)
  if (s.conflicts) parts.push(`${s.conflicts} edited in the vault (new versions beside them, named "… (rmirror).md")`)
  if (s.removed) parts.push(`${s.removed} removed`)
  if (s.archived) parts.push(`${s.archived} archived`)
  if (s.kept) parts.push(`${s.kept} deleted but kept (edited in the vault)`)
  if (s.failed.length) parts.push(`${s.failed.length} failed`)
  return `done: ${folder}/: ${parts.join(', ')} in ${s.seconds.toFixed(1)} s`
}

export function formatSummary(s: PassSummary): string {
  const rate = s.pagesUploaded > 0 && s.seconds > 0 ? ` (${(s.pagesUploaded / s.seconds).toFixed(1)} pages/s)` : ''
  const parts = [
    `${s.pagesUploaded} page${s.pagesUploaded === 1 ? '' : 's'} uploaded (${formatBytes(s.bytes)})`,
    `${s.pagesUnchanged} unchanged`,
    `${s.pagesFailed.length} failed`,
    `${s.notebooksSynced} of ${s.notebooks} notebooks and folders synced`,
  ]
  if (s.notebooksDeleted) parts.push(`${s.notebooksDeleted} deleted`)
  if (s.pagesSkipped.length) parts.push(`${s.pagesSkipped.length} refused earlier`)
  if (s.problems.length) parts.push(`${s.problems.length} unreadable or refused`)
  return `done: ${parts.join(', ')} in ${s.seconds.toFixed(1)} s${rate}`
}

/** A command line that makes no sense: exit code 2, with the usage. */
function failUsage(io: CliIo, message: string): number {
  io.stderr.write(`agent: ${message}\n\n${USAGE}`)
  return 2
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`agent: ${message}\n`)
  return 1
}
