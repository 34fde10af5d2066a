// Snippets as plain text plus the ranges that matched, so a client renders them without trusting any
// markup. ts_headline marks matches with two private-use characters (stripped from the text before,
// so a page cannot forge a mark); they are turned into ranges here.
export const MATCH_START = '\uE000'
export const MATCH_STOP = '\uE001'

export interface TextRange {
  /** Offset in UTF-16 code units (JavaScript string indices). */
  start: number
  length: number
}

export interface Snippet {
  text: string
  matches: TextRange[]
}

/** The options ts_headline is called with: short fragments around the best matches. */
export const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`

/**
 * Text with match marks → one line of text (runs of white space become one space, the ends trimmed)
 * and the ranges that were marked. An unclosed mark ends with the text.
 */
export function readMarkedSnippet(marked: string): Snippet {
  let text = ''
  const matches: TextRange[] = []
  let openAt = -1
  const close = () => {
    const end = text.endsWith(' ') ? text.length - 1 : text.length
    if (openAt >= 0 && end > openAt) matches.push({ start: openAt, length: end - openAt })
    openAt = -1
  }
  for (const ch of marked) {
    if (ch === MATCH_START) {
      if (openAt < 0) openAt = text.length
    } else if (ch === MATCH_STOP) close()
    else if (/\s/u.test(ch)) {
      if (text.length && !text.endsWith(' ')) text += ' '
    } else text += ch
  }
  close()
  return { text: text.trimEnd(), matches }
}

/** The opening of a text, for items listed without a query: about `max` characters, cut at a space. */
export function makeOpeningSnippet(text: string, max = 200): Snippet {
  const flat = text.replace(/\s+/gu, ' ').trim()
  if (flat.length <= max) return { text: flat, matches: [] }
  const space = flat.lastIndexOf(' ', max)
  // No space near the end: cut at `max`, never between the two halves of a surrogate pair.
  const highSurrogate = (i: number) => flat.charCodeAt(i) >= 0xd800 && flat.charCodeAt(i) <= 0xdbff
  const cut = space > max / 2 ? space : highSurrogate(max - 1) ? max - 1 : max
  return { text: `${flat.slice(0, cut)} …`, matches: [] }
}
