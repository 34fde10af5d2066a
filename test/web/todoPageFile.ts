// A typed reMarkable page holding a heading and checkbox lines, ticked or not: what the browser test
// uploads, then re-uploads with a box ticked (the fixture's own pages have no checkboxes).
import { makeRmFile, makeRootTextBlock } from '../rm/rmWriter.ts'

const CHECKBOX = 6
const CHECKBOX_CHECKED = 7
const HEADING = 2

/** `title`, then one checkbox paragraph per line; a paragraph's style is keyed by the id of the newline opening it. */
export function makeTodoPage(title: string, todos: { text: string; done: boolean }[]): Uint8Array {
  const start = 10
  const text = [title, ...todos.map((t) => t.text)].join('\n')
  const styles: { char: [number, number]; code: number }[] = [{ char: [0, 0], code: HEADING }]
  let offset = title.length
  for (const todo of todos) {
    styles.push({ char: [1, start + offset], code: todo.done ? CHECKBOX_CHECKED : CHECKBOX })
    offset += 1 + todo.text.length
  }
  return makeRmFile([makeRootTextBlock([{ id: [1, start], left: [0, 0], right: [0, 0], text }], styles)])
}
