import { describe, expect, it } from 'vitest'
import { extractTodos, makeConfusionKey, makeFuzzySignature } from '../../server/text/index.ts'
import { heldOutTodoCorpus, todoCorpus, type CorpusLine } from './todoCorpus.ts'

const corpusText = todoCorpus.map((entry) => entry.line).join('\n')

// Scored per line: a true positive is a line found at its index with the expected text and state;
// anything else found is a false positive, and an expected todo not found exactly is a miss.
function scoreLines(corpus: CorpusLine[]) {
  const found = new Map(extractTodos(corpus.map((entry) => entry.line).join('\n')).map((todo) => [todo.line, todo]))
  let truePositives = 0
  let falsePositives = 0
  let falseNegatives = 0
  const wrong: string[] = []
  corpus.forEach(({ line, expected }, index) => {
    const todo = found.get(index)
    const exact = todo !== undefined && expected !== null && todo.text === expected.text && todo.completed === expected.completed
    if (exact) truePositives++
    else {
      if (todo) falsePositives++
      if (expected) falseNegatives++
      if (todo || expected) wrong.push(line)
    }
  })
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    wrong,
    precision: truePositives / (truePositives + falsePositives),
    recall: truePositives / (truePositives + falseNegatives),
  }
}

describe('extractTodos on the corpus', () => {
  const found = new Map(extractTodos(corpusText).map((todo) => [todo.line, todo]))

  it('has at least 200 lines and only distinct todos', () => {
    expect(todoCorpus.length).toBeGreaterThanOrEqual(200)
    const signatures = todoCorpus.flatMap(({ expected }) => (expected ? [makeFuzzySignature(expected.text)] : []))
    expect(new Set(signatures).size).toBe(signatures.length)
  })

  it.each(todoCorpus.map((entry, index) => ({ ...entry, index })))('line $index: $line', ({ index, expected }) => {
    const todo = found.get(index)
    if (expected === null) {
      expect(todo).toBeUndefined()
      return
    }
    expect(todo).toMatchObject({
      text: expected.text,
      completed: expected.completed,
      fuzzySignature: makeFuzzySignature(expected.text),
      confusionKey: makeConfusionKey(expected.text),
    })
  })

  it('reaches precision and recall of at least 0.98', () => {
    const score = scoreLines(todoCorpus)
    console.log(
      `todo corpus: ${todoCorpus.length} lines, TP ${score.truePositives}, FP ${score.falsePositives}, ` +
        `FN ${score.falseNegatives}, precision ${score.precision.toFixed(4)}, recall ${score.recall.toFixed(4)}`,
    )
    expect(score.precision).toBeGreaterThanOrEqual(0.98)
    expect(score.recall).toBeGreaterThanOrEqual(0.98)
  })
})

describe('extractTodos on a page', () => {
  it('numbers lines from 0 and accepts CRLF and CR line ends', () => {
    const todos = extractTodos('# Page\r\n- [ ] first\r- [x] second\n')
    expect(todos.map(({ line, text, completed }) => ({ line, text, completed }))).toEqual([
      { line: 1, text: 'first', completed: false },
      { line: 2, text: 'second', completed: true },
    ])
  })

  it('keeps a todo written twice once, at its first line, open unless every copy is ticked', () => {
    const page = ['- [x] Review chapter 3', 'notes', '☐ review Chapter 3.', '- [x] Call Mom', '✓ call mom!'].join('\n')
    const todos = extractTodos(page)
    expect(todos.map(({ line, text, completed }) => ({ line, text, completed }))).toEqual([
      { line: 0, text: 'Review chapter 3', completed: false },
      { line: 3, text: 'Call Mom', completed: true },
    ])
  })

  it('skips every line of a fence until its matching close, and an unclosed fence to the end', () => {
    const page = ['````', '```', '- [ ] still code', '````', '- [ ] after', '~~~', '- [ ] code to the end'].join('\n')
    expect(extractTodos(page).map((todo) => todo.text)).toEqual(['after'])
  })

  it('does not take a line with inline backticks for a fence', () => {
    expect(extractTodos('```inline``` text\n- [ ] real').map((todo) => todo.text)).toEqual(['real'])
  })

  it('returns nothing for an empty page', () => {
    expect(extractTodos('')).toEqual([])
  })

  it('gives every todo a non-empty signature and key', () => {
    for (const todo of extractTodos(corpusText)) {
      expect(todo.fuzzySignature).not.toBe('')
      expect(todo.confusionKey).not.toBe('')
    }
  })
})

describe('extractTodos on the second corpus', () => {
  it('reaches precision and recall of at least 0.98 (0.81 / 0.63 before the extractor was changed for it)', () => {
    const score = scoreLines(heldOutTodoCorpus)
    console.log(
      `second corpus: ${heldOutTodoCorpus.length} lines, TP ${score.truePositives}, FP ${score.falsePositives}, ` +
        `FN ${score.falseNegatives}, precision ${score.precision.toFixed(4)}, recall ${score.recall.toFixed(4)}; ` +
        `wrong lines: ${JSON.stringify(score.wrong)}`,
    )
    expect(heldOutTodoCorpus.length).toBeGreaterThanOrEqual(50)
    expect(score.precision).toBeGreaterThanOrEqual(0.98)
    expect(score.recall).toBeGreaterThanOrEqual(0.98)
  })
})
