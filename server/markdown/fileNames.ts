// File and folder names for exported notebooks: what a reMarkable name becomes so that it is a valid
// name on Windows, macOS and Linux, and in Obsidian (whose links break on `# ^ [ ] |`). Used by the
// .md download, the .zip export and (through Notebook.markdownPath) the Obsidian agent.

/** Longest name part in UTF-8 bytes, leaving room for " (1a2b3c4d)", " (rmirror)" and ".md" under the usual 255. */
export const MAX_NAME_BYTES = 120
const FALLBACK_NAME = 'Untitled'
// Forbidden on Windows (and `/` everywhere), or breaking Obsidian links.
const FORBIDDEN = /[\\/:*?"<>|#^[\]]/g
// Controls, and the bidirectional overrides that make a name display as something it is not.
const INVISIBLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const encoder = new TextEncoder()

/** One file or folder name: forbidden characters become spaces, runs of spaces one, no dot or space at either end. */
export function makeSafeName(name: string): string {
  let safe = name.normalize('NFC').replace(INVISIBLE, ' ').replace(FORBIDDEN, ' ').replace(/\s+/gu, ' ')
  safe = truncateToBytes(safe.replace(/^[\s.]+|[\s.]+$/gu, ''), MAX_NAME_BYTES).replace(/[\s.]+$/u, '')
  if (safe === '') return FALLBACK_NAME
  return WINDOWS_RESERVED.test(safe) ? `${safe}_` : safe
}

/** Where a notebook's file goes: its folders, then its name, e.g. `Work/Projects/Q3 plans.md`. */
export function makeMarkdownPath(folderNames: readonly string[], notebookName: string): string {
  return [...folderNames.map(makeSafeName), `${makeSafeName(notebookName)}.md`].join('/')
}

/** `Work/Q3.md` + uuid → `Work/Q3 (1a2b3c4d).md`: the name a second notebook with the same path gets. */
export function addUuidToPath(markdownPath: string, uuid: string, counter?: number): string {
  const tag = makeSafeName(uuid).slice(0, 8)
  return addSuffixToPath(markdownPath, counter === undefined ? tag : `${tag} ${counter}`)
}

/** `Work/Q3.md` + `rmirror` → `Work/Q3 (rmirror).md`. */
export function addSuffixToPath(markdownPath: string, suffix: string): string {
  return markdownPath.replace(/(\.md)?$/, ` (${suffix})$1`)
}

/** Case- and normalization-insensitive key: two paths with one key would be one file on macOS and Windows. */
export function makePathKey(markdownPath: string): string {
  return markdownPath.normalize('NFC').toLocaleLowerCase('en-US')
}

/**
 * Hands out unique paths in the order asked: the first notebook gets its path, later ones with the
 * same key get the start of their uuid added (and a counter in the unlikely case that is taken too).
 * Keeps one short string per path handed out, so a streamed export of a big library stays small.
 */
export function makePathAllocator() {
  const taken = new Set<string>()
  return (markdownPath: string, uuid: string): string => {
    let candidate = markdownPath
    if (taken.has(makePathKey(candidate))) candidate = addUuidToPath(markdownPath, uuid)
    for (let n = 2; taken.has(makePathKey(candidate)); n++) candidate = addUuidToPath(markdownPath, uuid, n)
    taken.add(makePathKey(candidate))
    return candidate
  }
}

/** A Content-Disposition for a download: an ASCII fallback name and the exact name (RFC 6266 / 8187). */
export function makeContentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%;]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(fileName)}`
}

function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Cuts at a grapheme boundary, so no emoji or accented letter is split. */
function truncateToBytes(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text
  let out = ''
  let bytes = 0
  for (const { segment } of graphemes.segment(text)) {
    const size = encoder.encode(segment).length
    if (bytes + size > maxBytes) break
    out += segment
    bytes += size
  }
  return out
}
