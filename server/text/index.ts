export { makeConfusionKey, foldConfusableWord } from './confusionKey.ts'
export {
  fingerprintHighlight,
  fingerprintNotebookMetadata,
  fingerprintPageText,
  fingerprintTodo,
} from './fingerprints.ts'
export type { HighlightPlace, NotebookMetadata, PageTextPlace, TodoPlace } from './fingerprints.ts'
export { makeFuzzySignature, splitSignatureWords } from './fuzzySignature.ts'
export { extractTodos, parseCheckboxLine } from './todos.ts'
export type { CheckboxLine, ExtractedTodo } from './todos.ts'
