// GET /files/pages/<page id>/thumbnail.png?w=…&v=…&exp=…&sig=…: a page rendered to PNG, for the
// dashboard. The URL is handed out by Page.thumbnailUrl to the page's owner and signed, so the
// signature is checked before anything else (no database access for an unsigned or expired URL),
// and nothing in the URL is used beyond what was signed.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RenderPool } from '../rm/renderPool.ts'
import type { AppServices } from '../services.ts'
import type { UrlCheckFailure } from '../storage/signedUrls.ts'
import { makeByteLru } from './byteLru.ts'

export const THUMBNAIL_WIDTH = { min: 50, max: 1404, default: 300 } as const
/** How long a handed-out URL works (and how long a browser may keep the image). */
export const THUMBNAIL_URL_TTL_SECONDS = 300
// ~24 MB holds about a thousand 300-pixel thumbnails of ordinary pages.
const CACHE_BYTES = 24 * 1024 * 1024
const THUMBNAIL_PATH = /^\/files\/pages\/([1-9]\d{0,14})\/thumbnail\.png$/

/**
 * The unsigned target for a page's thumbnail. `v` (the start of the file's hash) changes the URL when
 * the page is uploaded again, so a browser never shows a cached image of the old file.
 */
export function makeThumbnailTarget(pageId: number, width: number, fileSha256: string): string {
  return `/files/pages/${pageId}/thumbnail.png?w=${clampThumbnailWidth(width)}&v=${fileSha256.slice(0, 12)}`
}

export function clampThumbnailWidth(width: number): number {
  const whole = Number.isFinite(width) ? Math.round(width) : THUMBNAIL_WIDTH.default
  return Math.min(Math.max(whole, THUMBNAIL_WIDTH.min), THUMBNAIL_WIDTH.max)
}

const REFUSALS: Record<UrlCheckFailure, { code: string; message: string }> = {
  unsigned: { code: 'SIGNATURE_REQUIRED', message: 'This file is served through signed URLs only (Page.thumbnailUrl)' },
  malformed: { code: 'BAD_SIGNATURE', message: 'The URL signature is malformed' },
  bad_signature: { code: 'BAD_SIGNATURE', message: 'The URL signature does not match' },
  expired: { code: 'URL_EXPIRED', message: 'The URL has expired; ask for a new one (Page.thumbnailUrl)' },
}

export type FilesHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/** Serves everything under /files/. */
export function makeFilesHandler(services: Pick<AppServices, 'db' | 'storage' | 'signer'>, renderPool: RenderPool): FilesHandler {
  const { db, storage, signer } = services
  const rendered = makeByteLru(CACHE_BYTES)

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answerError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET', { allow: 'GET, HEAD' })
    const check = signer.verify(req.url ?? '/')
    if (!check.ok) return answerError(res, 403, REFUSALS[check.reason].code, REFUSALS[check.reason].message)
    const { url } = check

    const found = THUMBNAIL_PATH.exec(url.pathname)
    const width = Number(url.searchParams.get('w'))
    if (!found) return answerError(res, 404, 'NOT_FOUND', 'No such file')
    if (!Number.isInteger(width) || width !== clampThumbnailWidth(width)) return answerError(res, 400, 'BAD_WIDTH', `w must be ${THUMBNAIL_WIDTH.min}–${THUMBNAIL_WIDTH.max}`)

    const page = await db.page.findUnique({ where: { id: Number(found[1]) }, select: { fileSha256: true } })
    const sha = page?.fileSha256
    if (!sha) return answerError(res, 404, 'NOT_FOUND', 'No such page, or it has no file yet')
    const etag = `"${sha}-${width}"`
    const headers = { etag, 'cache-control': `private, max-age=${THUMBNAIL_URL_TTL_SECONDS}` }
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers)
      return void res.end()
    }

    const key = `${sha}:${width}`
    let png = rendered.get(key)
    if (!png) {
      const bytes = await storage.get(sha)
      if (!bytes) return answerError(res, 404, 'NOT_FOUND', 'The page file is no longer stored')
      png = rendered.get(key) // rendered by a concurrent request meanwhile
      if (!png) {
        // Read and drawn in a render thread: the event loop keeps answering meanwhile.
        const result = await renderPool.renderFile(bytes, { width })
        if (!result.ok) {
          if (result.reason === 'unreadable') return answerError(res, 422, 'UNREADABLE_PAGE', `The page file cannot be read: ${result.message}`)
          if (result.reason === 'busy') return answerError(res, 503, 'RENDER_BUSY', 'Too many pages are being drawn; try again shortly', { 'retry-after': '2' })
          return answerError(res, 422, 'UNRENDERABLE_PAGE', `The page cannot be drawn: ${result.message}`)
        }
        png = result.png
        rendered.set(key, png)
      }
    }
    res.writeHead(200, { ...headers, 'content-type': 'image/png', 'content-length': String(png.length), 'x-content-type-options': 'nosniff' })
    res.end(req.method === 'HEAD' ? undefined : png)
  }
}

function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false
  return [header].flat().some((value) => value.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*'))
}

function answerError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra })
  res.end(JSON.stringify({ error: { code, message } }))
}
