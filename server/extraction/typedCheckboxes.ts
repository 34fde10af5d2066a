// What a person types as a checkbox line is a todo, as when it is handwritten: a paragraph typed as
// `- [ ] Review chapter 3`, `[x] Send the invoice` or `☐ Water the plants`, in any paragraph style,
// becomes one of the tablet's own checkbox paragraphs before the page is written as Markdown. The
// .rm reader keeps typed text literal (it escapes `- [ ]` to `\- [ ]`), so without this step such a
// line would be neither a todo nor a to_do block. Paragraphs that are not checkbox lines, by the
// same rule the handwriting path uses (text/todos.ts), stay as they were.
import type { RmParagraph, RmSpan } from '../rm/index.ts'
import { locateCheckboxLine } from '../text/todos.ts'

export function restyleTypedCheckboxes(paragraphs: readonly RmParagraph[]): RmParagraph[] {
  return paragraphs.map((paragraph) => {
    if (paragraph.style === 'checkbox' || paragraph.style === 'checkbox-checked') return paragraph
    const found = locateCheckboxLine(paragraph.text)
    if (!found) return paragraph
    const text = paragraph.text.slice(found.textStart)
    const style = found.completed ? 'checkbox-checked' : 'checkbox'
    return paragraph.spans ? { style, text, spans: sliceSpans(paragraph.spans, found.textStart) } : { style, text }
  })
}

/** The spans from character `start` on, so bold or italic text after the box stays so. */
function sliceSpans(spans: readonly RmSpan[], start: number): RmSpan[] {
  const out: RmSpan[] = []
  let at = 0
  for (const span of spans) {
    const end = at + span.text.length
    if (end > start) out.push({ ...span, text: span.text.slice(Math.max(0, start - at)) })
    at = end
  }
  return out
}
