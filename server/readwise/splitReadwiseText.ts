// Text longer than a Readwise highlight takes is split, never cut: the pieces joined give the text
// back. A piece ends at the last paragraph or line break in its second half, else the last sentence
// end in its last 30 %, else the last space in its last fifth (so each reads on its own), else at a
// grapheme boundary.
import { splitContent } from '../notion/richText.ts'

const BREAKS: [RegExp, number][] = [[/\n\s*\n/g, 0.5], [/\n/g, 0.5], [/[.!?。]\s/g, 0.7], [/\s/g, 0.8]]

export function splitReadwiseText(text: string, max: number): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    let cut = 0
    for (const [pattern, from] of BREAKS) {
      let last = -1
      for (const m of window.matchAll(pattern)) last = m.index + m[0].length
      if (last >= max * from) {
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
