// How a pass shows itself: a redrawn progress bar on a terminal, one plain line per page otherwise
// (logs, CI, pipes). Messages (failures, warnings) go through log() so they never tear the bar.

export type PageOutcome = 'uploaded' | 'unchanged' | 'failed'

export interface ProgressSink {
  begin(totalPages: number, totalBytes: number): void
  advance(event: { label: string; bytes: number; outcome: PageOutcome }): void
  end(): void
}

export interface Reporter {
  log(line: string): void
  progress: ProgressSink
}

export interface OutputStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

const REDRAW_INTERVAL_MS = 100

export function createReporter(stream: OutputStream, now: () => number = () => performance.now()): Reporter {
  return stream.isTTY ? createBarReporter(stream, now) : createLineReporter(stream)
}

function createLineReporter(stream: OutputStream): Reporter {
  let done = 0
  let total = 0
  return {
    log: (line) => void stream.write(`${line}\n`),
    progress: {
      begin(totalPages, totalBytes) {
        done = 0
        total = totalPages
        if (totalPages > 0) stream.write(`uploading ${totalPages} page${totalPages === 1 ? '' : 's'} (${formatBytes(totalBytes)})\n`)
      },
      advance({ label, bytes, outcome }) {
        done++
        if (outcome !== 'failed') stream.write(`[${done}/${total}] ${outcome} ${label} (${formatBytes(bytes)})\n`)
      },
      end() {},
    },
  }
}

function createBarReporter(stream: OutputStream, now: () => number): Reporter {
  let active = false
  let total = 0
  let done = 0
  let bytesDone = 0
  let startedAt = 0
  let drawnAt = -Infinity

  const draw = (force = false) => {
    if (!active || (!force && now() - drawnAt < REDRAW_INTERVAL_MS)) return
    drawnAt = now()
    const seconds = Math.max((now() - startedAt) / 1000, 0.001)
    const tail = ` ${done}/${total} pages · ${formatBytes(bytesDone)} · ${(done / seconds).toFixed(1)} pages/s`
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - tail.length - 3))
    const filled = total === 0 ? width : Math.round((done / total) * width)
    stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`)
  }

  return {
    log(line) {
      stream.write(active ? `\r\x1b[2K${line}\n` : `${line}\n`)
      draw(true)
    },
    progress: {
      begin(totalPages) {
        active = totalPages > 0
        total = totalPages
        done = 0
        bytesDone = 0
        startedAt = now()
        draw(true)
      },
      advance({ bytes }) {
        done++
        bytesDone += bytes
        draw(done === total)
      },
      end() {
        if (active) stream.write('\n')
        active = false
      },
    },
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
