// Reads the reMarkable desktop app's local folder ("xochitl" layout): `<uuid>.metadata`,
// `<uuid>.content`, `<uuid>/<page>.rm`. A file that cannot be read is reported and its item skipped.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { NotebookType } from './operations.ts'
import { isObject, readContent } from './readContent.ts'

export type { NotebookType }

export interface LibraryItem {
  uuid: string
  visibleName: string
  type: NotebookType
  /** null at the root (and when the parent is not in the folder). */
  parentUuid: string | null
  tags: string[]
  /** Live pages in order; empty for folders. */
  pageUuids: string[]
  lastModified: string | null
  lastOpened: string | null
  lastOpenedPage: number | null
  pinned: boolean
  /** Marked deleted, in the trash, or inside a folder that is. */
  deleted: boolean
}

export interface FileProblem {
  file: string
  reason: string
}

export interface Library {
  folder: string
  items: LibraryItem[]
  /** Every uuid that has a `.metadata` file, readable or not: an unreadable file is not a deletion. */
  present: Set<string>
  /** Items skipped because a file could not be read. */
  problems: FileProblem[]
  /** Read, but with something adjusted (e.g. an unknown parent placed at the root). */
  warnings: FileProblem[]
}

const FILE_TYPES: Record<string, NotebookType> = { '': 'NOTEBOOK', notebook: 'NOTEBOOK', pdf: 'PDF', epub: 'EPUB' }
const TRASH = 'trash'
const READ_BATCH = 64

export function pageFilePath(folder: string, notebookUuid: string, pageUuid: string): string {
  return path.join(folder, notebookUuid, `${pageUuid}.rm`)
}

export async function readLibrary(folder: string): Promise<Library> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.metadata') && name.length > '.metadata'.length).sort()
  const present = new Set(names.map((name) => name.slice(0, -'.metadata'.length)))
  const problems: FileProblem[] = []
  const raw: (LibraryItem | null)[] = []
  for (let i = 0; i < names.length; i += READ_BATCH) {
    const batch = names.slice(i, i + READ_BATCH).map((name) => readItem(folder, name.slice(0, -'.metadata'.length), problems))
    raw.push(...(await Promise.all(batch)))
  }
  const read = raw.filter((item): item is LibraryItem => item !== null)
  const warnings: FileProblem[] = []
  const items = resolveParents(folder, read, present, warnings)
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) // reads run in parallel; report in a stable order
  return { folder, items, present, problems, warnings }
}

async function readItem(folder: string, uuid: string, problems: FileProblem[]): Promise<LibraryItem | null> {
  const metadataFile = path.join(folder, `${uuid}.metadata`)
  const metadata = await readJson(metadataFile)
  if (!metadata.ok) return report(problems, metadataFile, metadata.reason)
  const m = metadata.value
  if (!isObject(m)) return report(problems, metadataFile, 'not a JSON object')
  if (typeof m.visibleName !== 'string') return report(problems, metadataFile, 'visibleName missing')
  const isFolder = m.type === 'CollectionType'
  if (!isFolder && m.type !== 'DocumentType') return report(problems, metadataFile, `unknown type ${JSON.stringify(m.type)}`)

  const contentFile = path.join(folder, `${uuid}.content`)
  const content = await readJson(contentFile)
  let pageUuids: string[] = []
  let tags: string[] = []
  let type: NotebookType = 'FOLDER'
  if (content.ok) {
    const parsed = readContent(content.value)
    if (!parsed.ok) return report(problems, contentFile, parsed.reason)
    tags = parsed.tags
    if (!isFolder) {
      const mapped = FILE_TYPES[parsed.fileType]
      if (!mapped) return report(problems, contentFile, `unknown fileType ${JSON.stringify(parsed.fileType)}`)
      type = mapped
      pageUuids = parsed.pageUuids
    }
  } else if (!isFolder || !content.missing) {
    // A folder may have no .content; a document without one is still being written by the app.
    return report(problems, contentFile, content.reason)
  }

  const rawParent = typeof m.parent === 'string' && m.parent !== '' ? m.parent : null
  return {
    uuid,
    visibleName: m.visibleName,
    type,
    parentUuid: rawParent === TRASH ? null : rawParent,
    tags: tags.length ? tags : readMetadataTags(m.tags),
    pageUuids,
    lastModified: toIsoUtc(m.lastModified),
    lastOpened: toIsoUtc(m.lastOpened),
    lastOpenedPage: Number.isInteger(m.lastOpenedPage) ? (m.lastOpenedPage as number) : null,
    pinned: m.pinned === true,
    deleted: m.deleted === true || rawParent === TRASH,
  }
}

/** An item inside a deleted folder is deleted too; a parent not in the folder becomes the root. */
function resolveParents(folder: string, read: LibraryItem[], present: Set<string>, warnings: FileProblem[]): LibraryItem[] {
  const byUuid = new Map(read.map((item) => [item.uuid, item]))
  const isDeleted = (item: LibraryItem): boolean => {
    const seen = new Set<string>()
    for (let at: LibraryItem | undefined = item; at; at = at.parentUuid ? byUuid.get(at.parentUuid) : undefined) {
      if (at.deleted) return true
      if (seen.has(at.uuid)) return false // a parent cycle: treat as live rather than loop
      seen.add(at.uuid)
    }
    return false
  }
  return read.map((item) => {
    let parentUuid = item.parentUuid
    if (parentUuid !== null && !present.has(parentUuid)) {
      warnings.push({ file: path.join(folder, `${item.uuid}.metadata`), reason: `parent ${parentUuid} is not in the folder; placed at the root` })
      parentUuid = null
    }
    return { ...item, parentUuid, deleted: isDeleted(item) }
  })
}

/** Milliseconds since the epoch (a string in the app's files) → ISO-8601 UTC; 0 or junk → null. */
export function toIsoUtc(value: unknown): string | null {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN
  if (!Number.isFinite(ms) || ms <= 0) return null
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function readMetadataTags(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== ''))] : []
}

type JsonRead = { ok: true; value: unknown } | { ok: false; missing: boolean; reason: string }

async function readJson(file: string): Promise<JsonRead> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { ok: false, missing: code === 'ENOENT', reason: code === 'ENOENT' ? 'file missing' : `cannot read: ${code ?? String(err)}` }
  }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, missing: false, reason: `malformed JSON: ${(err as Error).message}` }
  }
}

function report(problems: FileProblem[], file: string, reason: string): null {
  problems.push({ file, reason })
  return null
}
