import { randomUUID } from 'node:crypto'

// Notion answers ids as dashed lowercase UUIDs and accepts them with or without dashes.

const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const COMPACT = /^[0-9a-f]{32}$/i

export function makeId(): string {
  return randomUUID()
}

/** The dashed lowercase form of an id given with or without dashes, or undefined if it is no UUID. */
export function normalizeId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined
  if (DASHED.test(raw)) return raw.toLowerCase()
  if (!COMPACT.test(raw)) return undefined
  const h = raw.toLowerCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function compactId(id: string): string {
  return id.replace(/-/g, '')
}

const SHORT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Short ids like the ones Notion gives properties and select options. */
export function makeShortId(length = 4): string {
  let id = ''
  for (let i = 0; i < length; i++) id += SHORT_ID_ALPHABET[Math.floor(Math.random() * SHORT_ID_ALPHABET.length)]
  return id
}
