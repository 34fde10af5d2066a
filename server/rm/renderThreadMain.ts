// The body of a render thread: reads and draws one page per message, off the process's main thread.
import { parentPort } from 'node:worker_threads'
import { parseRm } from './parseRm.ts'
import { renderPng } from './renderPng.ts'
import type { RenderAnswer, RenderJob } from './renderJob.ts'

function run(job: RenderJob): RenderAnswer {
  let page = job.kind === 'page' ? job.page : undefined
  if (job.kind === 'file') {
    const parsed = parseRm(job.bytes)
    if (!parsed.ok) return { id: job.id, ok: false, reason: 'unreadable', message: parsed.error.message }
    page = parsed.page
  }
  try {
    const png = renderPng(page!, { ...job.options, bounds: job.bounds })
    return { id: job.id, ok: true, png }
  } catch (error) {
    return { id: job.id, ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) }
  }
}

parentPort!.on('message', (job: RenderJob) => {
  const answer = run(job)
  parentPort!.postMessage(answer, answer.ok ? [answer.png.buffer as ArrayBuffer] : [])
})
