// Global (Relay) ids → row ids. A malformed id, or one of another type, is simply not found.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay'
import { NotFoundError } from '../errors.ts'

export { encodeGlobalID }

export function parseGlobalId(id: string, typename: string | readonly string[]): number {
  let decoded: { typename: string; id: string }
  try {
    decoded = decodeGlobalID(id)
  } catch {
    throw new NotFoundError(`No such ${[typename].flat()[0]}`)
  }
  const accepted = [typename].flat()
  const n = Number(decoded.id)
  if (!accepted.includes(decoded.typename) || !Number.isSafeInteger(n) || n <= 0) throw new NotFoundError(`No such ${accepted[0]}`)
  return n
}
