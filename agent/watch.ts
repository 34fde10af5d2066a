// Keeps the folder mirrored: a pass at start, then one after each burst of changes. The app writes a
// notebook in several steps (.metadata, .content, page files), so a pass waits for a quiet second;
// whatever was half-written is picked up by the pass the next change triggers.
import { watch as watchFs, type FSWatcher } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { isAuthError, type ApiError } from './api.ts'
import { runUploadPass, type PassSummary, type UploadPassOptions } from './uploadPass.ts'

export interface WatchOptions extends UploadPassOptions {
  /** 'auto': file-system events where the platform has recursive watching, else polling. */
  mode?: 'auto' | 'events' | 'poll'
  /** Polling: how often the folder is scanned for changes (default 2 s). */
  pollIntervalMs?: number
  /** Quiet time after the last change before a pass starts (default 1 s). */
  debounceMs?: number
  /** Events mode: a pass this often anyway, in case an event was missed (default 60 s). */
  rescanIntervalMs?: number
  /** After a pass with failures a later pass may fix (network, server), try again after this (default 30 s). */
  retryDelayMs?: number
  onPass?: (summary: PassSummary) => void
}

export interface WatchHandle {
  readonly mode: 'events' | 'poll'
  /** Stops watching; resolves once the pass in flight (if any) has ended. */
  stop(): Promise<void>
  /** Settles when watching ends: null after stop(), the error when it stopped by itself (token refused, state locked). */
  readonly done: Promise<ApiError | null>
}

// A pass cannot fix these by being run again: watching stops and says why.
const FATAL_CODES = new Set(['STATE_LOCKED', 'STATE_INSIDE_FOLDER'])

export function startWatch(options: WatchOptions): WatchHandle {
  const folder = path.resolve(options.folder)
  const debounceMs = options.debounceMs ?? 1000
  const controller = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal
  const log = options.log ?? (() => {})
  let stopped = false
  let running: Promise<void> | null = null
  let pending = false
  let debounceTimer: NodeJS.Timeout | null = null
  let retryTimer: NodeJS.Timeout | null = null
  const intervals: NodeJS.Timeout[] = []
  let watcher: FSWatcher | null = null
  let finish: (value: ApiError | null) => void = () => {}
  const done = new Promise<ApiError | null>((resolve) => (finish = resolve))

  const runPasses = async (): Promise<void> => {
    do {
      pending = false
      let summary: PassSummary
      try {
        summary = await runUploadPass({ ...options, folder, signal })
      } catch (err) {
        log(`pass failed: ${(err as Error).message}`)
        continue
      }
      if (stopped) return
      options.onPass?.(summary)
      if (summary.aborted && (isAuthError(summary.aborted) || FATAL_CODES.has(summary.aborted.code))) {
        void shutDown(summary.aborted)
        return
      }
      if (summary.transientFailures > 0 || summary.aborted) scheduleRetry()
    } while (pending && !stopped)
  }

  const startPass = () => {
    if (stopped) return
    if (running) {
      pending = true // changes arrived during a pass: one more pass when it ends
      return
    }
    running = runPasses().finally(() => (running = null))
  }

  const trigger = () => {
    if (stopped) return
    if (debounceTimer) clearTimeout(debounceTimer)
    debounceTimer = setTimeout(startPass, debounceMs)
  }

  const scheduleRetry = () => {
    if (retryTimer || stopped) return
    retryTimer = setTimeout(() => {
      retryTimer = null
      trigger()
    }, options.retryDelayMs ?? 30_000)
  }

  const shutDown = async (reason: ApiError | null): Promise<void> => {
    if (stopped) return
    stopped = true
    controller.abort()
    if (debounceTimer) clearTimeout(debounceTimer)
    if (retryTimer) clearTimeout(retryTimer)
    for (const interval of intervals) clearInterval(interval)
    watcher?.close()
    await running
    if (reason) log(`stopped watching: ${reason.code}: ${reason.message}`)
    finish(reason)
  }

  const startPolling = () => {
    let last: string | null = null
    let scanning = false
    const scan = async () => {
      if (scanning || stopped) return
      scanning = true
      try {
        const signature = await makeFolderSignature(folder)
        if (last !== null && signature !== last) trigger()
        last = signature
      } finally {
        scanning = false
      }
    }
    void scan()
    intervals.push(setInterval(() => void scan(), options.pollIntervalMs ?? 2000))
  }

  const startEvents = (): boolean => {
    try {
      watcher = watchFs(folder, { recursive: true }, () => trigger())
    } catch {
      return false
    }
    watcher.on('error', (err) => {
      // The folder went away or the watch broke: fall back to polling, which copes with both.
      log(`file watching failed (${err.message}); polling instead`)
      watcher?.close()
      watcher = null
      if (!stopped) startPolling()
    })
    intervals.push(setInterval(trigger, options.rescanIntervalMs ?? 60_000))
    return true
  }

  const requested = options.mode ?? 'auto'
  const mode: 'events' | 'poll' = requested !== 'poll' && startEvents() ? 'events' : 'poll'
  if (mode === 'poll') startPolling()
  log(`watching ${folder} (${mode === 'events' ? 'file-system events' : `polling every ${((options.pollIntervalMs ?? 2000) / 1000).toFixed(1)} s`})`)
  startPass()

  return { mode, stop: () => shutDown(null), done }
}

/** Names, sizes and times of everything a pass reads: any change to it is a change worth a pass. */
async function makeFolderSignature(folder: string): Promise<string> {
  const parts: string[] = []
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true })
  } catch (err) {
    return `unreadable:${(err as NodeJS.ErrnoException).code}`
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(folder, entry.name)
    if (entry.isDirectory()) {
      const inner = await readdir(full).catch(() => [] as string[])
      for (const name of inner.filter((n) => n.endsWith('.rm')).sort()) parts.push(await describeFile(path.join(entry.name, name), path.join(full, name)))
    } else if (entry.name.endsWith('.metadata') || entry.name.endsWith('.content')) {
      parts.push(await describeFile(entry.name, full))
    }
  }
  return parts.join('\n')
}

async function describeFile(name: string, full: string): Promise<string> {
  try {
    const s = await stat(full)
    return `${name}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`
  } catch {
    return `${name}:gone`
  }
}
