// Markdown downloads through signed URLs (handed out by Notebook.markdownUrl and
// Viewer.libraryExportUrl to the owner, like page thumbnails):
//   GET /files/notebooks/<id>/markdown.md?u=<user>&exp=…&sig=…   one notebook, text/markdown
//   GET /files/export/library.zip?u=<user>[&folder=<uuid>]&exp=…&sig=…   a folder or the library, streamed
// The signature is checked before anything else; the owner (u) comes from the signed URL.
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppServices } from '../services.ts'
import type { UrlCheckFailure } from '../storage/signedUrls.ts'
import { loadMarkdownSources } from '../markdown/loadMarkdownSources.ts'
import { renderNotebookMarkdown } from '../markdown/renderNotebookMarkdown.ts'
import { makeContentDisposition, makeSafeName } from '../markdown/fileNames.ts'
import { streamLibraryExport } from '../markdown/exportLibrary.ts'

/** How long a handed-out URL works (checked when the download starts; a long export may run longer). */
export const MARKDOWN_URL_TTL_SECONDS = 300
const NOTEBOOK_PATH = /^\/files\/notebooks\/([1-9]\d{0,14})\/markdown\.md$/
const EXPORT_PATH = '/files/export/library.zip'

export function makeNotebookMarkdownTarget(notebookId: number, userId: number): string {
  return `/files/notebooks/${notebookId}/markdown.md?u=${userId}`
}

export function makeLibraryExportTarget(userId: number, folderUuid?: string | null): string {
  return `${EXPORT_PATH}?u=${userId}${folderUuid ? `&folder=${encodeURIComponent(folderUuid)}` : ''}`
}

export function isMarkdownDownloadPath(url: string): boolean {
  return url.startsWith('/files/notebooks/') || url.startsWith(`${EXPORT_PATH}?`) || url === EXPORT_PATH
}

const REFUSALS: Record<UrlCheckFailure, { code: string; message: string }> = {
  unsigned: { code: 'SIGNATURE_REQUIRED', message: 'Downloads are served through signed URLs only (Notebook.markdownUrl, Viewer.libraryExportUrl)' },
  malformed: { code: 'BAD_SIGNATURE', message: 'The URL signature is malformed' },
  bad_signature: { code: 'BAD_SIGNATURE', message: 'The URL signature does not match' },
  expired: { code: 'URL_EXPIRED', message: 'The URL has expired; ask for a new one' },
}

export function makeMarkdownDownloadHandler(services: Pick<AppServices, 'db' | 'signer' | 'config' | 'logger'>) {
  const { db, signer, config, logger } = services
  const render = { publicUrl: config.publicUrl }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answerError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET', { allow: 'GET, HEAD' })
    const check = signer.verify(req.url ?? '/')
    if (!check.ok) return answerError(res, 403, REFUSALS[check.reason].code, REFUSALS[check.reason].message)
    const { url } = check
    const userId = Number(url.searchParams.get('u'))
    if (!Number.isSafeInteger(userId) || userId <= 0) return answerError(res, 404, 'NOT_FOUND', 'No such file')

    const notebook = NOTEBOOK_PATH.exec(url.pathname)
    if (notebook) {
      const [source] = await loadMarkdownSources(db, userId, [Number(notebook[1])])
      if (!source) return answerError(res, 404, 'NOT_FOUND', 'No such notebook')
      const etag = `"${source.version}"`
      const headers = { etag, 'cache-control': 'private, no-cache', 'x-content-type-options': 'nosniff' }
      if (String(req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        res.writeHead(304, headers)
        return void res.end()
      }
      const body = Buffer.from(renderNotebookMarkdown(source, render), 'utf8')
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/markdown; charset=utf-8',
        'content-length': String(body.length),
        'content-disposition': makeContentDisposition(`${makeSafeName(source.notebook.visibleName)}.md`),
      })
      return void res.end(req.method === 'HEAD' ? undefined : body)
    }

    if (url.pathname === EXPORT_PATH) {
      const folderUuid = url.searchParams.get('folder')
      const folder = folderUuid ? await db.notebook.findFirst({ where: { userId, uuid: folderUuid, type: 'FOLDER', deleted: false }, select: { visibleName: true } }) : null
      if (folderUuid && !folder) return answerError(res, 404, 'NOT_FOUND', 'No such folder')
      res.writeHead(200, {
        'content-type': 'application/zip',
        'content-disposition': makeContentDisposition(`${folder ? makeSafeName(folder.visibleName) : 'reMarkable'}.zip`),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      })
      if (req.method === 'HEAD') return void res.end()
      return streamToResponse(res, async (write, signal) => {
        const summary = await streamLibraryExport(db, userId, write, { ...render, folderUuid, signal })
        logger.info({ userId, folder: !!folderUuid, ...summary }, 'library exported')
      }).catch((err) => {
        // Headers are sent: the client sees a cut-off download, never a ZIP that looks complete.
        if (!res.destroyed) logger.error({ err, userId }, 'library export failed')
        res.destroy()
      })
    }
    return answerError(res, 404, 'NOT_FOUND', 'No such file')
  }
}

/** Runs `produce` with a write that waits for the socket to drain, and a signal that fires when the client goes. */
async function streamToResponse(res: ServerResponse, produce: (write: (chunk: Buffer) => Promise<void>, signal: AbortSignal) => Promise<void>): Promise<void> {
  const gone = new AbortController()
  const onClose = () => {
    if (!res.writableFinished) gone.abort(new Error('the client closed the connection'))
  }
  res.on('close', onClose)
  try {
    await produce(async (chunk) => {
      if (gone.signal.aborted) throw gone.signal.reason
      if (!res.write(chunk)) await once(res, 'drain', { signal: gone.signal })
    }, gone.signal)
    res.end()
  } finally {
    res.off('close', onClose)
  }
}

function answerError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra })
  res.end(JSON.stringify({ error: { code, message } }))
}
