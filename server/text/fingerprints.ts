// The four fingerprints, one per item type: each item's content_hash, the lowercase hex
// sha256 of the UTF-8 bytes of one template string. Each includes the item's place, so two live
// items never share one. Templates, with the choices they leave open:
//   page text          `${notebookUuid}:${pageNumber}:${text.trim()}`
//   todo               `${fuzzySignature}:${notebookUuid}:${pageNumber}`
//   highlight          `${originalText}:${correctedText}:${sourceFile}:${pageNumber}`
//   notebook metadata  `${notebookUuid}:${visibleName}:${folderPath}:${tags sorted, joined by ","}`
// - trim is JavaScript's String.prototype.trim (Unicode White_Space plus U+FEFF). Python's
//   str.strip() differs at the edges: it also strips U+001C–U+001F and U+0085 and keeps U+FEFF, so a
//   text that starts or ends with one of those hashes differently than the Python seed would.
// - A null correctedText is rendered as "" (no correction and an empty one are the same highlight;
//   Python's f-string would have written "None").
// - Tags are sorted in plain code-unit order (Array.prototype.sort) on a copy; duplicates are kept.
// - Fields are used as given (no normalization); a ":" or "," inside a field can in principle make
//   two different inputs share a template string — the places (uuid, page number) bound that to
//   items at the same place.
// - pageNumber is the 1-based page position; anything else is a programming error and throws.

import { createHash } from 'node:crypto'

export type PageTextPlace = { notebookUuid: string; pageNumber: number; text: string }
export type TodoPlace = { fuzzySignature: string; notebookUuid: string; pageNumber: number }
export type HighlightPlace = {
  originalText: string
  correctedText: string | null
  sourceFile: string
  pageNumber: number
}
export type NotebookMetadata = {
  notebookUuid: string
  visibleName: string
  folderPath: string
  tags: readonly string[]
}

export function fingerprintPageText({ notebookUuid, pageNumber, text }: PageTextPlace): string {
  assertPageNumber(pageNumber)
  return hashHex(`${notebookUuid}:${pageNumber}:${text.trim()}`)
}

export function fingerprintTodo({ fuzzySignature, notebookUuid, pageNumber }: TodoPlace): string {
  assertPageNumber(pageNumber)
  return hashHex(`${fuzzySignature}:${notebookUuid}:${pageNumber}`)
}

export function fingerprintHighlight({ originalText, correctedText, sourceFile, pageNumber }: HighlightPlace): string {
  assertPageNumber(pageNumber)
  return hashHex(`${originalText}:${correctedText ?? ''}:${sourceFile}:${pageNumber}`)
}

export function fingerprintNotebookMetadata({ notebookUuid, visibleName, folderPath, tags }: NotebookMetadata): string {
  const sortedTags = [...tags].sort().join(',')
  return hashHex(`${notebookUuid}:${visibleName}:${folderPath}:${sortedTags}`)
}

function hashHex(template: string): string {
  return createHash('sha256').update(template, 'utf8').digest('hex')
}

function assertPageNumber(pageNumber: number): void {
  if (!Number.isSafeInteger(pageNumber) || pageNumber < 1) {
    throw new RangeError(`pageNumber must be a positive integer, got ${pageNumber}`)
  }
}
