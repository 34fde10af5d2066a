// Page renders off the main thread: a small pool of worker threads, shared by everything in one
// process that draws pages (the server's thumbnails, the worker's OCR input). While a thread draws,
// the main thread keeps answering requests; a render that runs too long or uses too much memory
// ends its thread (a new one starts for the next job), not the process.
import { Worker } from 'node:worker_threads'
import { DEFAULT_RENDER_BOUNDS, type RenderBounds } from './renderBounds.ts'
import type { RenderAnswer, RenderJob, RenderJobOptions } from './renderJob.ts'
import type { RmPage } from './types.ts'

export type RenderResult =
  | { ok: true; png: Uint8Array }
  /**
   * unreadable: not a page this reader can read. failed: drawing failed. busy: too many renders
   * waiting. timeout: the render ran past its time. crashed: its thread died (e.g. out of memory).
   */
  | { ok: false; reason: 'unreadable' | 'failed' | 'busy' | 'timeout' | 'crashed'; message: string }

export interface RenderPoolOptions {
  threads: number
  bounds?: RenderBounds
  /** Longest render before its thread is ended (default 60 s). */
  timeoutMs?: number
  /** Renders waiting beyond those running; more are answered `busy` (default 64). */
  maxQueued?: number
  /** JavaScript heap of one thread (default 512 MB): a page that needs more fails alone. */
  maxHeapMb?: number
  /** An idle thread ends after this long (default 30 s); the next render starts one again. */
  idleMs?: number
}

export interface RenderPool {
  /** Reads a .rm file and draws it, in a thread. */
  renderFile(bytes: Uint8Array, options?: RenderJobOptions): Promise<RenderResult>
  /** Draws a page already read, in a thread. */
  renderPage(page: RmPage, options?: RenderJobOptions): Promise<RenderResult>
  close(): Promise<void>
}

interface Pending {
  job: RenderJob
  resolve: (result: RenderResult) => void
}

interface Thread {
  worker: Worker
  current: Pending | undefined
  timer: NodeJS.Timeout | undefined
  idleTimer: NodeJS.Timeout | undefined
}

const THREAD_ENTRY = new URL('./renderThread.mjs', import.meta.url)

export function makeRenderPool(options: RenderPoolOptions): RenderPool {
  const bounds = options.bounds ?? DEFAULT_RENDER_BOUNDS
  const timeoutMs = options.timeoutMs ?? 60_000
  const maxQueued = options.maxQueued ?? 64
  const maxHeapMb = options.maxHeapMb ?? 512
  const idleMs = options.idleMs ?? 30_000
  const threads = new Set<Thread>()
  const queue: Pending[] = []
  let nextId = 1
  let closed = false

  const endThread = (thread: Thread) => {
    threads.delete(thread)
    clearTimeout(thread.timer)
    clearTimeout(thread.idleTimer)
    void thread.worker.terminate()
  }

  const finish = (thread: Thread, result: RenderResult) => {
    const pending = thread.current
    thread.current = undefined
    clearTimeout(thread.timer)
    pending?.resolve(result)
  }

  const startThread = (): Thread => {
    const worker = new Worker(THREAD_ENTRY, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } })
    worker.unref()
    const thread: Thread = { worker, current: undefined, timer: undefined, idleTimer: undefined }
    worker.on('message', (answer: RenderAnswer) => {
      if (thread.current?.job.id !== answer.id) return
      finish(thread, answer.ok ? { ok: true, png: answer.png } : { ok: false, reason: answer.reason, message: answer.message })
      dispatch()
    })
    const died = (message: string) => {
      if (!threads.has(thread)) return
      finish(thread, { ok: false, reason: 'crashed', message })
      endThread(thread)
      dispatch()
    }
    worker.on('error', (error) => died(`the render thread failed: ${error.message}`))
    worker.on('exit', (code) => died(`the render thread stopped (exit ${code})`))
    threads.add(thread)
    return thread
  }

  const dispatch = () => {
    while (queue.length > 0) {
      let thread = [...threads].find((t) => t.current === undefined)
      if (!thread && threads.size < options.threads) thread = startThread()
      if (!thread) return
      const pending = queue.shift()!
      const worker = thread.worker
      clearTimeout(thread.idleTimer)
      thread.current = pending
      const chosen = thread
      chosen.timer = setTimeout(() => {
        finish(chosen, { ok: false, reason: 'timeout', message: `the render took longer than ${timeoutMs} ms` })
        endThread(chosen)
        dispatch()
      }, timeoutMs)
      chosen.timer.unref()
      worker.postMessage(pending.job)
    }
    for (const thread of threads) {
      if (thread.current || thread.idleTimer) continue
      thread.idleTimer = setTimeout(() => endThread(thread), idleMs)
      thread.idleTimer.unref()
    }
  }

  type JobInput = { kind: 'file'; bytes: Uint8Array; options: RenderJobOptions } | { kind: 'page'; page: RmPage; options: RenderJobOptions }
  const submit = (job: JobInput): Promise<RenderResult> => {
    if (closed) return Promise.resolve({ ok: false, reason: 'failed', message: 'the render pool is closed' })
    if (queue.length >= maxQueued) return Promise.resolve({ ok: false, reason: 'busy', message: 'too many pages are being drawn; try again shortly' })
    return new Promise((resolve) => {
      queue.push({ job: { ...job, id: nextId++, bounds } as RenderJob, resolve })
      dispatch()
    })
  }

  return {
    renderFile: (bytes, jobOptions = {}) => submit({ kind: 'file', bytes, options: jobOptions }),
    renderPage: (page, jobOptions = {}) => submit({ kind: 'page', page, options: jobOptions }),
    async close() {
      closed = true
      for (const pending of queue.splice(0)) pending.resolve({ ok: false, reason: 'failed', message: 'the render pool is closed' })
      const ending = [...threads].map((thread) => {
        finish(thread, { ok: false, reason: 'failed', message: 'the render pool is closed' })
        threads.delete(thread)
        clearTimeout(thread.idleTimer)
        return thread.worker.terminate()
      })
      await Promise.all(ending)
    },
  }
}
