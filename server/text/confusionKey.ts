// A second todo key, separate from the fuzzy signature, that also survives OCR confusions (rn/m,
// cl/d, l/1/I, O/0). Two reads of one handwritten line that
// differ only by such confusions ("Call rnom", "CaII mom", "Ca11 mom") get one key, so the todo
// store can find the existing todo instead of creating a duplicate.
//
// The key is the fuzzy signature's words with every confusable folded to one canonical form,
// then sorted and joined with "_" like the signature; apart from `|` (below) it is a function of
// the signature, so a case or punctuation change never changes it.
// Folds, in this order (single characters first, so "c1ean" → "clean" → "dean" too):
//   i, 1 → l   (the words are lowercased, so I and i are one letter and both fold; `|` touching a
//               letter or digit is read as l before the words are made, since the signature
//               would drop it: "he||o" → "hello")
//   0 → o      (uppercase O is already o)
//   5 → s
//   rn → m, cl → d, vv → w
// Measured on test/text/todoCorpus.ts (103 distinct todos): no two collide (see the test).
// Accents are deliberately not folded: "Rechnungen zahlen" and "Rechnungen zählen" are two todos.

import { splitSignatureWords } from './fuzzySignature.ts'

const pipeInsideWord = /(?<=[\p{L}\p{N}])\|+|\|+(?=[\p{L}\p{N}])/gu
const confusableCharacters: Record<string, string> = { i: 'l', '1': 'l', '0': 'o', '5': 's' }
const confusableSequences: ReadonlyArray<readonly [RegExp, string]> = [
  [/rn/g, 'm'],
  [/cl/g, 'd'],
  [/vv/g, 'w'],
]

export function foldConfusableWord(word: string): string {
  let folded = word.replace(/[i105]/g, (character) => confusableCharacters[character])
  for (const [sequence, canonical] of confusableSequences) folded = folded.replace(sequence, canonical)
  return folded
}

export function makeConfusionKey(text: string): string {
  const words = splitSignatureWords(text.replace(pipeInsideWord, (pipes) => 'l'.repeat(pipes.length)))
  return words.map(foldConfusableWord).sort().join('_')
}
