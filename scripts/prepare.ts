// Generates what the code imports but git does not hold: the Prisma client and Pothos types, and the
// typed GraphQL operations (codegen.ts). Run by `npm test`, `npm start` and `npm run build`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function run(label: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  if (result.status !== 0) {
    process.stderr.write(result.stdout)
    process.stderr.write(result.stderr)
    console.error(`${label} failed (exit ${result.status})`)
    process.exit(1)
  }
}

// The Prisma CLI reads DATABASE_URL from the datasource block; generate never connects.
run('prisma generate', ['--require', './scripts/unref-long-timers.cjs', 'node_modules/prisma/build/index.js', 'generate'], {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost/unused',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
})
if (fs.existsSync(path.join(root, 'codegen.ts'))) run('graphql-codegen', ['node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.ts', '--silent'])
