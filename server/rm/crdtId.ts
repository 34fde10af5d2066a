/** A CRDT identifier: author index (one byte) and a per-author counter. */
export interface CrdtId {
  author: number
  counter: number
}

/** The id that marks "start/end of sequence" in left/right links, and the first paragraph's style key. */
export const END_MARKER: CrdtId = { author: 0, counter: 0 }

/** The scene tree's root group. */
export const ROOT_NODE_ID: CrdtId = { author: 0, counter: 1 }

export function makeCrdtId(author: number, counter: number): CrdtId {
  return { author, counter }
}

/** A string usable as a Map key. */
export function makeCrdtIdKey(id: CrdtId): string {
  return `${id.author}:${id.counter}`
}

export function isEndMarker(id: CrdtId): boolean {
  return id.author === 0 && id.counter === 0
}
