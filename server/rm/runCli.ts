import { readFile, writeFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { parseRm } from './parseRm.ts'
import { inspectPage } from './inspectPage.ts'
import { describePage } from './describePage.ts'
import { renderSvg } from './renderSvg.ts'
import { renderPng } from './renderPng.ts'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

const USAGE = `usage:
  npm run rm -- inspect FILE.rm [--json]
  npm run rm -- render FILE.rm -o OUT.svg|OUT.png [--strokes-only] [--width PIXELS]
`

interface CliArgs {
  command?: string
  file?: string
  json: boolean
  output?: string
  strokesOnly: boolean
  width?: number
  problem?: string
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { json: false, strokesOnly: false }
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') args.json = true
    else if (arg === '--strokes-only') args.strokesOnly = true
    else if (arg === '-o' || arg === '--output') args.output = argv[++i]
    else if (arg === '--width') {
      const width = Number(argv[++i])
      if (!Number.isFinite(width) || width <= 0) args.problem = '--width needs a positive number'
      else args.width = width
    } else if (arg.startsWith('-')) args.problem = `unknown option ${arg}`
    else positional.push(arg)
  }
  ;[args.command, args.file] = positional
  if (positional.length > 2) args.problem = `unexpected argument ${positional[2]}`
  return args
}

/** Runs the `rm` command; returns the process exit code (0 ok, 1 unreadable file, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if (args.problem || !args.file || (args.command !== 'inspect' && args.command !== 'render')) {
    io.stderr(`${args.problem ? `${args.problem}\n` : ''}${USAGE}`)
    return 2
  }
  if (args.command === 'render' && !args.output) {
    io.stderr(`render needs -o OUT.svg or -o OUT.png\n${USAGE}`)
    return 2
  }
  let bytes: Uint8Array
  try {
    bytes = await readFile(args.file)
  } catch (error) {
    io.stderr(`cannot read ${args.file}: ${(error as Error).message}\n`)
    return 1
  }
  const result = parseRm(bytes)
  if (!result.ok) {
    if (args.json) io.stdout(`${JSON.stringify({ error: result.error }, null, 2)}\n`)
    io.stderr(`${args.file}: ${result.error.code}: ${result.error.message}\n`)
    return 1
  }
  if (args.command === 'inspect') {
    io.stdout(args.json ? `${JSON.stringify(inspectPage(result.page), null, 2)}\n` : describePage(basename(args.file), result.page))
    return 0
  }
  const output = args.output as string
  const extension = extname(output).toLowerCase()
  if (extension === '.svg') await writeFile(output, renderSvg(result.page, { strokesOnly: args.strokesOnly }))
  else if (extension === '.png') {
    await writeFile(output, renderPng(result.page, { strokesOnly: args.strokesOnly, width: args.width }))
  } else {
    io.stderr(`output must end in .svg or .png: ${output}\n`)
    return 2
  }
  io.stderr(`wrote ${output}\n`)
  return 0
}
