// Line-level helpers shared by cleanTranscript and mergePageText. Fence-aware: inside a fenced
// code block blank lines are content, so they are left alone.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/

export interface FenceLine {
  marker: string
  info: string
}

/** A fence line's marker (``` or ~~~, possibly longer) and info string, or null. */
export function readFence(line: string): FenceLine | null {
  const found = FENCE.exec(line)
  if (!found) return null
  const info = found[2].trim()
  // A backtick fence's info string may not contain backticks (CommonMark), so ```a``` is inline code.
  if (found[1][0] === '`' && info.includes('`')) return null
  return { marker: found[1], info }
}

/** Whether `line` closes a block opened by `open`: same character, at least as long, nothing after. */
export function closesFence(line: string, open: FenceLine): boolean {
  const fence = readFence(line)
  return fence !== null && fence.info === '' && fence.marker[0] === open.marker[0] && fence.marker.length >= open.marker.length
}

export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

/** Drops blank lines at both ends and keeps at most one blank line in a row outside code blocks. */
export function collapseBlankLines(lines: string[]): string[] {
  const out: string[] = []
  let open: FenceLine | null = null
  for (const line of lines) {
    const blank = line.trim() === ''
    if (open) {
      out.push(line)
      if (closesFence(line, open)) open = null
      continue
    }
    const fence = readFence(line)
    if (fence) open = fence
    if (blank && (out.length === 0 || out[out.length - 1].trim() === '')) continue
    out.push(blank ? '' : line)
  }
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop()
  return out
}
