import { runCli } from './runCli.ts'

// Entry of `npm run rm -- …`; all behaviour lives in runCli.ts.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
