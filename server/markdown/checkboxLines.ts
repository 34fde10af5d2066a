// Todos in the Markdown export. A todo is one of its page's checkbox lines (server/text/todos.ts),
// so it is written where it stands in the page text, once, and never again in a list of its own —
// exactly like the Notion sync's to_do blocks. Every line extraction reads as a todo is written in
// the one form Obsidian and GitHub render as a checkbox, `- [ ] text` / `- [x] text`, keeping its
// indentation (so nested todos stay nested); `☐ call Bob`, `1. [] call Bob` or `✓ call Bob` from
// handwriting become `- [ ] call Bob` / `- [x] call Bob`. Lines extraction does not read as todos
// (inside code fences, in tables, quotes and headings, escaped typed text) stay as written.
import { parseCheckboxLine } from '../text/todos.ts'

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/

export function normalizeCheckboxLines(text: string): string {
  let openFence: string | null = null
  return text
    .split('\n')
    .map((line) => {
      const fence = FENCE.exec(line)
      if (openFence !== null) {
        // CommonMark: the same character, at least as long, nothing after it.
        if (fence && fence[2].trim() === '' && fence[1][0] === openFence[0] && fence[1].length >= openFence.length) openFence = null
        return line
      }
      if (fence && !(fence[1].startsWith('`') && fence[2].includes('`'))) {
        openFence = fence[1]
        return line
      }
      if (line.trimStart().startsWith('|')) return line
      const todo = parseCheckboxLine(line)
      if (!todo) return line
      const indent = /^\s*/.exec(line)![0]
      return `${indent}- [${todo.completed ? 'x' : ' '}] ${todo.text}`
    })
    .join('\n')
}
