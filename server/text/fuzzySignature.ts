// The todo's fuzzy signature: the key of UNIQUE(fuzzy_signature,
// notebook_uuid, user_id), so a re-read that changes only case, punctuation or word order
// ("review Chapter 3." for "Review chapter 3") lands on the same todo.
//
// Rule: NFC-normalize, lowercase, drop every character that is not a letter, digit, mark or
// whitespace, split on whitespace, drop empties, sort, join with "_".
// Choices where the rule leaves room:
// - NFC is applied again after lowercasing: lowercasing can leave a string un-composed
//   ("T̈" lowercases to t + U+0308, whose NFC is "ẗ"), and case must not change the signature.
// - "Whitespace" is JavaScript's Unicode `\s` (White_Space plus U+FEFF); a dropped character joins
//   its neighbours ("don't" → "dont", "follow-up" → "followup"), as the seed's Python rule does.
// - The underscore is dropped (Python's `\w` would keep it): it is the join character.
// - Lowercase, not case folding: "STRASSE" and "Straße" stay different, "ẞ" lowercases to "ß".
// - Sort is JavaScript's default code-unit order: deterministic, which is all a key needs.
// - A text without any letter, digit or mark (punctuation, emoji) has the empty signature "";
//   the extractor never emits such a todo, because the column is NOT NULL and "" would merge them all.

const notWordOrSpace = /[^\p{L}\p{N}\p{M}\s]/gu
const whitespace = /\s+/u

/** Words of the signature, unsorted: shared with the confusion key so both read text the same way. */
export function splitSignatureWords(text: string): string[] {
  const normalized = text.normalize('NFC').toLowerCase().normalize('NFC')
  return normalized.replace(notWordOrSpace, '').split(whitespace).filter((word) => word !== '')
}

export function makeFuzzySignature(text: string): string {
  return splitSignatureWords(text).sort().join('_')
}
