// Inline Markdown of one line → styled text segments (CommonMark-style, reduced to what Notion
// rich text can show): `**bold**`, `*italic*` / `_italic_`, `***both***`, `` `code` ``,
// `~~strike~~`, `[label](url)` and backslash escapes. Emphasis follows CommonMark's delimiter
// rules (flanking, rule of three) with one change: no emphasis opens or closes inside a word, for
// `*` as for `_`, so `snake_case_name` and `2*3*4` keep their characters. Everything that is not
// markup stays as text: an unmatched `*`, a single `~`, a `[x](y)` whose target is not an
// http(s)/mailto URL (kept with its brackets and target), HTML and entities (not interpreted).

export type InlineSegment = {
  text: string
  bold: boolean
  italic: boolean
  strikethrough: boolean
  code: boolean
  url: string | null
}

type Flag = 'bold' | 'italic' | 'strikethrough'
type Node = InlineSegment
type Delimiter = {
  node: number
  char: '*' | '_' | '~'
  length: number
  originalLength: number
  canOpen: boolean
  canClose: boolean
  prev: Delimiter | null
  next: Delimiter | null
}

const maxUrlLength = 2000
// Bound the bracket and target searches so a line full of `[` or `(` stays near-linear
// (CommonMark caps labels at 999 characters; a target longer than a URL may be is no link anyway).
const maxLinkScan = 2000
const maxTargetScan = 4 * 2000
const asciiPunctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
const allowedProtocols = new Set(['http:', 'https:', 'mailto:'])

export function parseInlineMarkdown(line: string): InlineSegment[] {
  return parseInline(line, true)
}

function parseInline(source: string, allowLinks: boolean): InlineSegment[] {
  const nodes: Node[] = []
  const delimiters: Delimiter[] = []
  const backticks = indexBacktickRuns(source)
  const lastLinkMiddle = source.lastIndexOf('](')
  let buffer = ''
  const flush = () => {
    if (buffer !== '') nodes.push(makeNode(buffer))
    buffer = ''
  }
  let i = 0
  while (i < source.length) {
    const char = source[i]
    if (char === '\\' && i + 1 < source.length && asciiPunctuation.has(source[i + 1])) {
      buffer += source[i + 1]
      i += 2
      continue
    }
    if (char === '`') {
      const length = countRun(source, i, '`')
      const close = findBacktickCloser(backticks, i + length, length)
      if (close >= 0) {
        flush()
        nodes.push({ ...makeNode(normalizeCodeSpan(source.slice(i + length, close))), code: true })
        i = close + length
      } else {
        buffer += source.slice(i, i + length)
        i += length
      }
      continue
    }
    if (char === '[' && allowLinks && i < lastLinkMiddle) {
      const link = readLink(source, i, backticks)
      if (link) {
        flush()
        nodes.push(...makeLinkNodes(source, link))
        i = link.end
        continue
      }
    }
    if (char === '*' || char === '_' || char === '~') {
      const length = countRun(source, i, char)
      if (char === '~' && length !== 2) {
        buffer += source.slice(i, i + length)
        i += length
        continue
      }
      flush()
      delimiters.push(makeDelimiter(source, i, length, char, nodes.length))
      nodes.push(makeNode(source.slice(i, i + length)))
      i += length
      continue
    }
    buffer += char
    i++
  }
  flush()
  const ranges = matchEmphasis(delimiters)
  for (const delimiter of delimiters) nodes[delimiter.node].text = delimiter.char.repeat(delimiter.length)
  return applyRanges(nodes, ranges).filter((node) => node.text !== '')
}

function makeNode(text: string): Node {
  return { text, bold: false, italic: false, strikethrough: false, code: false, url: null }
}

function countRun(source: string, start: number, char: string): number {
  let end = start
  while (source[end] === char) end++
  return end - start
}

// CommonMark: strip one space on each side when both are there and the span is not all spaces.
function normalizeCodeSpan(content: string): string {
  if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') {
    return content.slice(1, -1)
  }
  return content
}

type BacktickIndex = Map<number, number[]>

// Start positions of maximal backtick runs, by run length, so a closer is found by binary search.
function indexBacktickRuns(source: string): BacktickIndex {
  const index: BacktickIndex = new Map()
  for (let i = 0; i < source.length; ) {
    if (source[i] !== '`') {
      i++
      continue
    }
    const length = countRun(source, i, '`')
    const starts = index.get(length) ?? []
    starts.push(i)
    index.set(length, starts)
    i += length
  }
  return index
}

function findBacktickCloser(index: BacktickIndex, from: number, length: number): number {
  const starts = index.get(length)
  if (!starts) return -1
  let low = 0
  let high = starts.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (starts[middle] < from) low = middle + 1
    else high = middle
  }
  return low < starts.length ? starts[low] : -1
}

type LinkSyntax = { labelStart: number; labelEnd: number; destination: string; end: number }

function readLink(source: string, start: number, backticks: BacktickIndex): LinkSyntax | null {
  let depth = 0
  let j = start
  for (; j < source.length && j - start <= maxLinkScan; j++) {
    const char = source[j]
    if (char === '\\') j++
    else if (char === '`') {
      const length = countRun(source, j, '`')
      const close = findBacktickCloser(backticks, j + length, length)
      j = close >= 0 ? close + length - 1 : j + length - 1
    } else if (char === '[') depth++
    else if (char === ']' && --depth === 0) break
  }
  if (depth !== 0 || source[j] !== ']' || source[j + 1] !== '(') return null
  const target = readLinkTarget(source, j + 2)
  return target ? { labelStart: start + 1, labelEnd: j, ...target } : null
}

// `(dest)`, `(<dest>)`, `(dest "title")`: the destination may hold balanced parentheses
// (at most 32 deep, as cmark allows).
function readLinkTarget(source: string, start: number): { destination: string; end: number } | null {
  const limit = Math.min(source.length, start + maxTargetScan)
  let k = skipSpaces(source, start)
  let destination = ''
  if (source[k] === '<') {
    k++
    while (k < limit && source[k] !== '>' && source[k] !== '<') {
      if (source[k] === '\\' && asciiPunctuation.has(source[k + 1] ?? '')) k++
      destination += source[k++]
    }
    if (k >= limit || source[k] !== '>') return null
    k++
  } else {
    let parens = 0
    for (; k < limit && !isSpaceOrControl(source.charCodeAt(k)); k++) {
      const char = source[k]
      if (char === '\\' && asciiPunctuation.has(source[k + 1] ?? '')) {
        destination += source[++k]
        continue
      }
      if (char === '(' && ++parens > 32) return null
      if (char === ')' && parens-- === 0) break
      destination += char
    }
    if (parens > 0 || k >= limit) return null
  }
  const afterDestination = k
  k = skipSpaces(source, k)
  const quote = source[k]
  if (k > afterDestination && (quote === '"' || quote === "'" || quote === '(')) {
    const closing = quote === '(' ? ')' : quote
    k++
    while (k < limit && source[k] !== closing) k += source[k] === '\\' ? 2 : 1
    if (k >= limit) return null
    k = skipSpaces(source, k + 1)
  }
  return source[k] === ')' ? { destination, end: k + 1 } : null
}

function isSpaceOrControl(code: number): boolean {
  return code <= 0x20 || code === 0x7f
}

function skipSpaces(source: string, from: number): number {
  let k = from
  while (source[k] === ' ' || source[k] === '\t') k++
  return k
}

/** The URL Notion gets for a link, or null when it must stay text (other scheme, too long, invalid). */
export function acceptLinkUrl(destination: string): string | null {
  let url: URL
  try {
    url = new URL(destination)
  } catch {
    return null
  }
  if (!allowedProtocols.has(url.protocol)) return null
  if (url.protocol !== 'mailto:' && url.hostname === '') return null
  return url.href.length <= maxUrlLength ? url.href : null
}

function makeLinkNodes(source: string, link: LinkSyntax): Node[] {
  const label = parseInline(source.slice(link.labelStart, link.labelEnd), false)
  const url = acceptLinkUrl(link.destination)
  if (url !== null) return label.map((segment) => ({ ...segment, url: segment.url ?? url }))
  // Not a link Notion may show: keep every character of the source, label still styled.
  return [makeNode('['), ...label, makeNode(source.slice(link.labelEnd, link.end))]
}

function readCodePointBefore(source: string, index: number): string {
  if (index <= 0) return ' '
  const low = source.charCodeAt(index - 1)
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return source.slice(index - 2, index)
  return source[index - 1]
}

function readCodePointAt(source: string, index: number): string {
  if (index >= source.length) return ' '
  return String.fromCodePoint(source.codePointAt(index)!)
}

const isWhitespace = (char: string) => /^\s$/u.test(char)
const isPunctuation = (char: string) => /^[\p{P}\p{S}]$/u.test(char)

function makeDelimiter(source: string, start: number, length: number, char: Delimiter['char'], node: number): Delimiter {
  const before = readCodePointBefore(source, start)
  const after = readCodePointAt(source, start + length)
  const leftFlanking = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before))
  const rightFlanking = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after))
  // CommonMark lets `*` (not `_`) open and close inside a word; here neither does, so `2*3*4`
  // and `a*b*c` in handwritten maths keep their asterisks.
  return {
    node,
    char,
    length,
    originalLength: length,
    canOpen: leftFlanking && (!rightFlanking || isPunctuation(before)),
    canClose: rightFlanking && (!leftFlanking || isPunctuation(after)),
    prev: null,
    next: null,
  }
}

type Range = { from: number; to: number; flag: Flag }

// CommonMark's "process emphasis" over a linked delimiter list; returns the styled node ranges.
function matchEmphasis(delimiters: Delimiter[]): Range[] {
  delimiters.forEach((delimiter, index) => {
    delimiter.prev = delimiters[index - 1] ?? null
    delimiter.next = delimiters[index + 1] ?? null
  })
  const remove = (delimiter: Delimiter) => {
    if (delimiter.prev) delimiter.prev.next = delimiter.next
    if (delimiter.next) delimiter.next.prev = delimiter.prev
  }
  const ranges: Range[] = []
  const bottoms = new Map<string, number>()
  let closer: Delimiter | null = delimiters[0] ?? null
  while (closer) {
    if (!closer.canClose || closer.length === 0) {
      closer = closer.next
      continue
    }
    const key = `${closer.char}${closer.canOpen}${closer.originalLength % 3}`
    const bottom = bottoms.get(key) ?? -1
    let opener: Delimiter | null = closer.prev
    while (opener && opener.node > bottom && !canPair(opener, closer)) opener = opener.prev
    if (!opener || opener.node <= bottom) {
      bottoms.set(key, closer.prev?.node ?? -1)
      const next: Delimiter | null = closer.next
      if (!closer.canOpen) remove(closer)
      closer = next
      continue
    }
    const used = closer.char === '~' ? 2 : closer.length >= 2 && opener.length >= 2 ? 2 : 1
    ranges.push({ from: opener.node + 1, to: closer.node, flag: closer.char === '~' ? 'strikethrough' : used === 2 ? 'bold' : 'italic' })
    opener.length -= used
    closer.length -= used
    opener.next = closer
    closer.prev = opener
    if (opener.length === 0) remove(opener)
    if (closer.length === 0) {
      const next: Delimiter | null = closer.next
      remove(closer)
      closer = next
    }
  }
  return ranges
}

function canPair(opener: Delimiter, closer: Delimiter): boolean {
  if (opener.char !== closer.char || !opener.canOpen || opener.length === 0) return false
  if (closer.char === '~') return opener.length === 2 && closer.length === 2
  const sum = opener.originalLength + closer.originalLength
  const ruleOfThree = (opener.canClose || closer.canOpen) && sum % 3 === 0
  return !ruleOfThree || (opener.originalLength % 3 === 0 && closer.originalLength % 3 === 0)
}

// Difference arrays keep styling linear even for deeply nested emphasis.
function applyRanges(nodes: Node[], ranges: Range[]): Node[] {
  const flags: Flag[] = ['bold', 'italic', 'strikethrough']
  const depth = Object.fromEntries(flags.map((flag) => [flag, new Int32Array(nodes.length + 1)])) as Record<Flag, Int32Array>
  for (const { from, to, flag } of ranges) {
    depth[flag][from]++
    depth[flag][to]--
  }
  const running: Record<Flag, number> = { bold: 0, italic: 0, strikethrough: 0 }
  return nodes.map((node, index) => {
    const styled = { ...node }
    for (const flag of flags) {
      running[flag] += depth[flag][index]
      if (running[flag] > 0) styled[flag] = true
    }
    return styled
  })
}
