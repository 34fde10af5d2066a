// YAML frontmatter for the Markdown export. Values are user text (notebook names, folders, tags), so
// each string is written plain only when no YAML reader could take it for anything else, and
// double-quoted with JSON-style escapes otherwise (valid YAML 1.1 and 1.2, which Obsidian and every
// static-site tool read).

/** A Date is written as a plain ISO-8601 timestamp (YAML 1.1's timestamp type, which Obsidian shows as a date). */
export type FrontmatterValue = string | number | Date | readonly string[]

/** `---`, one `key: value` line per entry (lists as `- item` lines), `---`, each line ending in \n. */
export function formatFrontmatter(entries: readonly (readonly [string, FrontmatterValue])[]): string {
  const lines = ['---']
  for (const [key, value] of entries) {
    if (typeof value === 'number') lines.push(`${key}: ${value}`)
    else if (value instanceof Date) lines.push(`${key}: ${value.toISOString()}`)
    else if (typeof value === 'string') lines.push(`${key}: ${formatYamlString(value)}`)
    else if (value.length === 0) lines.push(`${key}: []`)
    else lines.push(`${key}:`, ...value.map((item) => `  - ${formatYamlString(item)}`))
  }
  lines.push('---')
  return `${lines.join('\n')}\n`
}

// Words YAML 1.1 (still used by many readers) turns into booleans or null.
const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~'])
// A letter first (no number, date, indicator or quote can start it), then letters, marks, digits,
// spaces and punctuation that means nothing inside a block-context plain scalar. No `:` or `#`, so
// neither `: ` nor ` #` can occur.
const PLAIN = /^\p{L}[\p{L}\p{M}\p{N} _.,'()/&+!?-]*$/u

export function formatYamlString(value: string): string {
  if (PLAIN.test(value) && !value.endsWith(' ') && !RESERVED.has(value.toLowerCase())) return value
  return `"${escapeDoubleQuoted(value)}"`
}

function escapeDoubleQuoted(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    // A lone surrogate cannot be written in UTF-8: it becomes the replacement character.
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i] + value[i + 1]
        i++
      } else out += '\uFFFD'
      continue
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += '\uFFFD'
      continue
    }
    out += escapeCharacter(code, value[i])
  }
  return out
}

const NAMED: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x00: '\\0' }

function escapeCharacter(code: number, char: string): string {
  const named = NAMED[code]
  if (named) return named
  // C0 and C1 controls, DEL, the line and paragraph separators, the byte-order mark and the two
  // non-characters are not printable in YAML (or are line breaks in YAML 1.1): always escaped.
  const unprintable = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff
  return unprintable ? `\\u${code.toString(16).padStart(4, '0').toUpperCase()}` : char
}
