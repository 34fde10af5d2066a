import { text } from 'node:stream/consumers'
import { runAgentCli } from './runAgentCli.ts'

// Entry of `npm run agent -- …`; all behaviour lives in runAgentCli.ts.
const untilInterrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve())
  process.once('SIGTERM', () => resolve())
})

process.exitCode = await runAgentCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin: () => text(process.stdin),
  untilInterrupted,
})
