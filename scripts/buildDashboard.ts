// Builds web/ → web/dist with Vite when the sources are newer than the last build.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '../server/logger.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const webDir = path.join(root, 'web')
const builtIndex = path.join(webDir, 'dist', 'index.html')

function newestSourceMtime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

export async function buildDashboardIfStale(logger: Logger): Promise<void> {
  const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0
  const sourcesAt = Math.max(newestSourceMtime(webDir), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs)
  if (builtAt >= sourcesAt) return
  logger.info('building the dashboard')
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.config.ts'), root: webDir, logLevel: 'warn' })
}
