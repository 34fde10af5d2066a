// Todos of a page: its checkbox lines, read from the page's Markdown text (OCR output, or typed
// checkbox paragraphs, which the .rm reader writes as `- [ ]` / `- [x]`; typed paragraphs of any
// other style that read as a checkbox line are restyled so first, see extraction/typedCheckboxes.ts).
//
// A checkbox line is: optional indentation, an optional list marker (`-` `*` `+` `•` `–` `—` `−`
// `◦` `▪` `·`, `1.` `1)` `1`, `a)` `iv.`), then a box, then the todo's text.
//   open boxes: `[ ]`, `[]`, `［ ］`, `☐`, `□`, `▢`, `◻`, `◽`, `⬜`, `❏`, `❑`
//   done boxes: `[x]`, `[X]`, `[ x ]`, `[✓]`, `[✔]`, `☑`, `☒`, `✓`, `✔`, `✅`, `🗹` (emoji forms too)
// The box is followed by whitespace, or directly by a letter or digit (OCR often drops that
// space); a dash right after the box (`☐ - buy milk`) is a separator, not text.
// Not todos: a box anywhere but the start (`call Bob [ ]`), other bracket contents (`[1] Smith`,
// `[a]`, `[sic]`, `[-]`), links and reference definitions (`[x](url)`, `[x]: url`), an empty box,
// a box followed by another box (`☐☐ drawings`, `[ ][ ] x`: a grid, not a todo), a legend line
// (`☐ = task`), a text without any letter or digit (its fuzzy signature would be empty; the column
// is NOT NULL and "" would merge all such lines), fenced code blocks, table rows (`| [ ] | …`),
// headings and block quotes (a quoted checkbox is someone else's list). Continuation lines of a
// long todo are not joined.
//
// One page holds a todo once: copies with the same fuzzy signature are one todo, at the first
// copy's line and with its text. It is completed only when every copy is ticked: an open box still
// on the page means open work, and hiding open work is the worse mistake for a todo list.

import { makeConfusionKey } from './confusionKey.ts'
import { makeFuzzySignature } from './fuzzySignature.ts'

export type ExtractedTodo = {
  /** Display text: the line without indentation, list marker and box, trimmed, backslash escapes undone. */
  text: string
  completed: boolean
  /** 0-based index of the line in the page text. */
  line: number
  fuzzySignature: string
  confusionKey: string
}

export type CheckboxLine = { text: string; completed: boolean }

const bullet = String.raw`[-*+•–—−◦▪·]`
const enumerator = String.raw`(?:\d{1,9}[.)]?|(?:[a-zA-Z]|[ivxIVX]{1,4})[.)])`
const listMarker = String.raw`(?:${bullet}\s*|${enumerator}\s+|\d{1,9}[.)])`
// One `\s*` before the optional tick: two adjacent `\s*` would backtrack quadratically on `[` + spaces.
const bracketBox = String.raw`[\[［]\s*(?:(?<tick>[xX✓✔ｘＸ])\s*)?[\]］]`
const symbolBox = String.raw`(?<symbol>[☐□▢◻◽⬜❏❑☑☒✓✔✅🗹])\uFE0F?`
const afterBox = String.raw`(?:\s+|(?=[\p{L}\p{N}]))`
const checkboxLine = new RegExp(
  String.raw`^\s*${listMarker}?(?:${bracketBox}|${symbolBox})${afterBox}(?:[-–—]\s+)?(?<text>.*)$`,
  'u',
)
const leadingBoxOrLegend = new RegExp(String.raw`^(?:${bracketBox}|${symbolBox}|=)`, 'u')
const openSymbols = new Set(['☐', '□', '▢', '◻', '◽', '⬜', '❏', '❑'])
const fenceLine = /^\s*(?<fence>`{3,}|~{3,})(?<info>.*)$/

/** Reads one line on its own (no fence or page context); null when it is not a todo line. */
export function parseCheckboxLine(line: string): CheckboxLine | null {
  const found = locateCheckboxLine(line)
  return found && { text: found.text, completed: found.completed }
}

/** As parseCheckboxLine, and where in the line the todo's text starts (typed text keeps its formatting from there). */
export function locateCheckboxLine(line: string): (CheckboxLine & { textStart: number }) | null {
  const match = checkboxLine.exec(line)
  if (!match?.groups) return null
  const { tick, symbol } = match.groups
  const text = match.groups.text.trim()
  if (text === '' || leadingBoxOrLegend.test(text)) return null
  if (makeFuzzySignature(text) === '') return null
  const completed = symbol === undefined ? tick !== undefined : !openSymbols.has(symbol)
  return { text, completed, textStart: line.length - match.groups.text.trimStart().length }
}

export function extractTodos(markdown: string): ExtractedTodo[] {
  const todos: ExtractedTodo[] = []
  const bySignature = new Map<string, ExtractedTodo>()
  let openFence: string | null = null
  const lines = markdown.split(/\r\n|\r|\n/)
  for (const [index, line] of lines.entries()) {
    const fence = readFence(line)
    if (openFence !== null) {
      if (fence && fence.info.trim() === '' && closesFence(openFence, fence.fence)) openFence = null
      continue
    }
    if (fence && !(fence.fence.startsWith('`') && fence.info.includes('`'))) {
      openFence = fence.fence
      continue
    }
    if (line.trimStart().startsWith('|')) continue
    const checkbox = parseCheckboxLine(line)
    if (!checkbox) continue
    const fuzzySignature = makeFuzzySignature(checkbox.text)
    const copy = bySignature.get(fuzzySignature)
    if (copy) {
      copy.completed &&= checkbox.completed
      continue
    }
    const todo = { text: unescapeMarkdown(checkbox.text), completed: checkbox.completed, line: index, fuzzySignature, confusionKey: makeConfusionKey(checkbox.text) }
    bySignature.set(fuzzySignature, todo)
    todos.push(todo)
  }
  return todos
}

// A todo's text is shown as plain text: `\*` in the Markdown is a `*` the person wrote (typed text
// escapes what it must keep literal), as CommonMark reads a backslash before ASCII punctuation.
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1')
}

function readFence(line: string): { fence: string; info: string } | null {
  const groups = fenceLine.exec(line)?.groups
  return groups ? { fence: groups.fence, info: groups.info } : null
}

// CommonMark: a fence closes with the same character, at least as long, nothing after it.
function closesFence(opening: string, candidate: string): boolean {
  return candidate[0] === opening[0] && candidate.length >= opening.length
}
