// One subscriber's feed of rows, as the async iterator GraphQL reads: a queue the hub pushes into, and
// nothing else (no timers, no listeners, no promise per idle subscriber beyond the one it waits on), so
// ten thousand idle subscribers cost ten thousand small objects.

export class RowSubscription<T> implements AsyncIterableIterator<T> {
  private queue: T[] = []
  private waiting: ((r: IteratorResult<T>) => void) | undefined
  private ended = false

  /**
   * @param accept which of the topic's rows this subscriber wants (e.g. one notebook's)
   * @param onEnd told once when it ends, by the reader (return) or by the hub (end)
   */
  constructor(
    private readonly accept: (row: T) => boolean,
    private readonly onEnd: () => void,
  ) {}

  /** Called by the hub for each row on the subscriber's topic. */
  deliver(row: T): void {
    if (this.ended || !this.accept(row)) return
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = undefined
      resolve({ value: row, done: false })
    } else this.queue.push(row)
  }

  /** Ends the feed: what is queued is still read, then done. */
  end(): void {
    if (this.ended) return
    this.ended = true
    this.onEnd()
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = undefined
      resolve({ value: undefined, done: true })
    }
  }

  next(): Promise<IteratorResult<T>> {
    const row = this.queue.shift()
    if (row !== undefined) return Promise.resolve({ value: row, done: false })
    if (this.ended) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve) => (this.waiting = resolve))
  }

  return(): Promise<IteratorResult<T>> {
    this.queue = []
    this.end()
    return Promise.resolve({ value: undefined, done: true })
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.return()
    return Promise.reject(err)
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
