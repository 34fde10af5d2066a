// Loaded into the server process by bench/hostile.ts (node --import): reports the process's RSS and
// event-loop delay to the bench over the IPC channel every 100 ms. Not part of the server.
import { monitorEventLoopDelay } from 'node:perf_hooks'

const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
if (process.send) {
  const timer = setInterval(() => {
    process.send!({ rss: process.memoryUsage().rss, delayMaxMs: histogram.max / 1e6, delayP99Ms: histogram.percentile(99) / 1e6 })
    histogram.reset()
  }, 100)
  timer.unref()
}
