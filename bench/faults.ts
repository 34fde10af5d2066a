// Faults at scale, figures: a catch-up of FAULTS_PAGES pages (default 500; or the first argument)
// through 5xx, 504-after-write, 429 bursts, SIGKILLed workers and one PostgreSQL restart (see
// test/deployment/faultsAtScale.ts). Prints duplicates, missing, stuck jobs and the time to converge.
// Run: npm run bench:faults [-- PAGES]   (needs PostgreSQL's binaries: PG_BIN_DIR or /usr/lib/postgresql/15/bin)
import { machineLine } from './lib/benchDatabase.ts'
import { runFaultsAtScale } from '../test/deployment/faultsAtScale.ts'

async function main() {
  const pages = Number(process.argv[2] ?? process.env.FAULTS_PAGES ?? 500)
  console.log(`faults bench · ${pages} pages · ${machineLine()}`)
  const report = await runFaultsAtScale({ pages, ...(process.env.FAULTS_NO_KILLS ? { killEveryMs: Infinity } : {}), ...(process.env.FAULTS_NO_RESTART ? { restart: false } : {}), deadlineMs: Math.max(240_000, pages * 1000), log: (line) => console.log(`  ${line}`) })
  const { output, ...figures } = report
  console.log(`duplicates ${report.duplicates} · missing ${report.missing} · stuck jobs ${report.stuckJobs} · records not delivered ${report.openRecords}`)
  console.log(`converged in ${(report.convergeMs / 1000).toFixed(1)} s (PostgreSQL restarted at ${(report.restartAtMs / 1000).toFixed(1)} s; ${report.kills} workers SIGKILLed)`)
  console.log(`subscriber: ${report.subscriberBehind} records not seen in their final state; last progress ${JSON.stringify(report.lastProgress)}; errors ${JSON.stringify(report.subscriberErrors)}`)
  console.log(`Notion: ${report.notionRequests} requests, by status ${JSON.stringify(report.notionByStatus)}; processes crashed: ${report.crashed.length}`)
  if (report.crashed.length || report.stuckJobs || report.duplicates || report.missing) console.log(JSON.stringify(figures), '\n', output())
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
