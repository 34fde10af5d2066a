/** Runs `work` over `items`, at most `concurrency` at a time; stops taking new items once `shouldStop()`. */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, shouldStop: () => boolean = () => false): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane))
}
