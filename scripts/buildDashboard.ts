// Builds web/ → web/dist with Vite when the sources are newer than the last build.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '../server/logger.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const webDir = path.join(root, 'web')
const DASHBOARD_DIST = path.join(webDir, 'dist')

function newestSourceMtime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Builds the dashboard into `outDir` (default web/dist) unless a build newer than its sources is there. */
export async function buildDashboardIfStale(logger: Logger, outDir = DASHBOARD_DIST): Promise<'built' | 'fresh'> {
  const builtIndex = path.join(outDir, 'index.html')
  const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0
  const sourcesAt = Math.max(newestSourceMtime(webDir), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs)
  if (builtAt >= sourcesAt) return 'fresh'
  logger.info('building the dashboard')
  const { build } = await import('vite')
  // Vite sets NODE_ENV=production in this process when it is unset. The server and worker started
  // after the build inherit this process's environment, and in production they demand the secrets a
  // local start generates instead: NODE_ENV goes back to what it was.
  const nodeEnv = process.env.NODE_ENV
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), root: webDir, logLevel: 'warn', build: { outDir } })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  return 'built'
}
