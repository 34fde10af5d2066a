// Text longer than a Readwise highlight takes is split, never cut: the pieces joined give the text
// back. A piece ends at the last paragraph break, line break, sentence end or space in its last
// fifth when there is one (so each reads on its own), else at a grapheme boundary.
import { splitContent } from '../notion/richText.ts'

const BREAKS = [/\n\s*\n/g, /\n/g, /[.!?。]\s/g, /\s/g]

export function splitReadwiseText(text: string, max: number): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    let cut = 0
    for (const pattern of BREAKS) {
      let last = -1
      for (const m of window.matchAll(pattern)) last = m.index + m[0].length
      if (last >= max * 0.8) {
        cut = last
        break
      }
    }
    if (cut === 0) cut = splitContent(rest.slice(0, max + 256), max)[0].length
    pieces.push(rest.slice(0, cut))
    rest = rest.slice(cut)
  }
  pieces.push(rest)
  return pieces
}
