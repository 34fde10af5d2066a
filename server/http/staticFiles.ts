// Serves the built dashboard (web/dist) at `/`, with index.html for client-side routes.
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

export function makeStaticHandler(root: string) {
  const base = path.resolve(root)
  return function serveStatic(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      return false
    }
    // Resolve inside the root only; anything escaping it is not ours to serve.
    const candidate = path.resolve(base, '.' + path.posix.normalize(pathname))
    if (candidate !== base && !candidate.startsWith(base + path.sep)) return false
    let file = candidate
    let stat = safeStat(file)
    if (stat?.isDirectory()) {
      file = path.join(file, 'index.html')
      stat = safeStat(file)
    }
    const isAsset = pathname.startsWith('/assets/')
    if (!stat?.isFile()) {
      // A missing file is a 404, except under /dashboard/, where every path is a route of the app
      // (a deep link or a reload), whatever its last segment looks like.
      if (isAsset || (path.extname(pathname) && !pathname.startsWith('/dashboard/'))) return false
      file = path.join(base, 'index.html')
      stat = safeStat(file)
      if (!stat?.isFile()) return false
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      // Vite's assets carry a content hash in their names; index.html must always be revalidated.
      'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
    return true
  }
}

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file)
  } catch {
    return undefined
  }
}
