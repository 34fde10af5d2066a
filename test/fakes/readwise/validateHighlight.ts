// What Highlight CREATE accepts (readwise.io/api_deets, "Highlight CREATE"), field by field, with
// Django REST Framework's wording for each refusal (Readwise is a DRF service): a field's errors are
// a list of sentences under its name, and a batch's errors a list with one object per highlight
// ({} for the valid ones). One invalid highlight refuses the whole request.

export const MAX_TEXT = 8191
export const MAX_TITLE = 511
export const MAX_AUTHOR = 1024
export const MAX_URL = 2047
export const MAX_NOTE = 8191
export const MAX_HIGHLIGHT_URL = 4095
export const CATEGORIES = ['books', 'articles', 'tweets', 'podcasts'] as const
export const LOCATION_TYPES = ['page', 'order', 'time_offset', 'location', 'offset', 'none'] as const

export interface HighlightInput {
  text: string
  title?: string | null
  author?: string | null
  image_url?: string | null
  source_url?: string | null
  source_type?: string | null
  category?: string | null
  note?: string | null
  location?: number | null
  location_type?: string | null
  highlighted_at?: string | null
  highlight_url?: string | null
}

const FIELDS = new Set(['text', 'title', 'author', 'image_url', 'source_url', 'source_type', 'category', 'note', 'location', 'location_type', 'highlighted_at', 'highlight_url'])

export type FieldErrors = Record<string, string[]>

const tooLong = (max: number) => `Ensure this field has no more than ${max} characters.`
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/

/** DRF's string field: a string (numbers are coerced by DRF; the fake refuses them), within its length. */
function checkString(errors: FieldErrors, o: Record<string, unknown>, key: string, max: number, required = false) {
  const v = o[key]
  if (v === undefined) {
    if (required) errors[key] = ['This field is required.']
    return
  }
  if (v === null) {
    if (required) errors[key] = ['This field may not be null.']
    return
  }
  if (typeof v !== 'string') return void (errors[key] = ['Not a valid string.'])
  if (required && v.trim() === '') return void (errors[key] = ['This field may not be blank.'])
  if (v.length > max) errors[key] = [tooLong(max)]
}

function checkUrl(errors: FieldErrors, o: Record<string, unknown>, key: string, max: number) {
  checkString(errors, o, key, max)
  const v = o[key]
  if (errors[key] || typeof v !== 'string' || v === '') return
  try {
    const u = new URL(v)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
  } catch {
    errors[key] = ['Enter a valid URL.']
  }
}

/** The errors of one highlight object of a CREATE, or null when it is valid. */
export function validateHighlightInput(item: unknown): FieldErrors | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(item) ? 'list' : typeof item === 'string' ? 'str' : typeof item}.`] }
  }
  const o = item as Record<string, unknown>
  const errors: FieldErrors = {}
  // Stricter than DRF (which ignores unknown keys): a misspelt field would silently go missing.
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) errors[key] = ['The local Readwise fake does not know this field (Readwise would ignore it).']
  checkString(errors, o, 'text', MAX_TEXT, true)
  checkString(errors, o, 'title', MAX_TITLE)
  checkString(errors, o, 'author', MAX_AUTHOR)
  checkUrl(errors, o, 'image_url', MAX_URL)
  checkUrl(errors, o, 'source_url', MAX_URL)
  checkString(errors, o, 'note', MAX_NOTE)
  checkUrl(errors, o, 'highlight_url', MAX_HIGHLIGHT_URL)
  const sourceType = o.source_type
  if (sourceType !== undefined && sourceType !== null) {
    if (typeof sourceType !== 'string' || sourceType.length < 3 || sourceType.length > 64 || /\s/.test(sourceType))
      errors.source_type = ['source_type must be a string between 3 and 64 characters, without spaces.']
  }
  for (const [key, choices] of [['category', CATEGORIES], ['location_type', LOCATION_TYPES]] as const) {
    const v = o[key]
    if (v !== undefined && v !== null && !(choices as readonly unknown[]).includes(v)) errors[key] = [`"${String(v)}" is not a valid choice.`]
  }
  const location = o.location
  if (location !== undefined && location !== null && !(typeof location === 'number' && Number.isSafeInteger(location))) errors.location = ['A valid integer is required.']
  const at = o.highlighted_at
  if (at !== undefined && at !== null && !(typeof at === 'string' && ISO_DATETIME.test(at) && !Number.isNaN(Date.parse(at))))
    errors.highlighted_at = ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].']
  return Object.keys(errors).length ? errors : null
}

/** The errors of a Highlight UPDATE body (text, note, location, url, color), or null. */
export function validateHighlightUpdate(body: unknown): FieldErrors | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { non_field_errors: ['Invalid data. Expected a dictionary.'] }
  const o = body as Record<string, unknown>
  const errors: FieldErrors = {}
  for (const key of Object.keys(o)) if (!['text', 'note', 'location', 'url', 'color'].includes(key)) errors[key] = ['The local Readwise fake does not know this field (Readwise would ignore it).']
  if (o.text !== undefined) checkString(errors, o, 'text', MAX_TEXT, true)
  checkString(errors, o, 'note', MAX_NOTE)
  checkUrl(errors, o, 'url', MAX_HIGHLIGHT_URL)
  checkString(errors, o, 'color', 32)
  if (o.location !== undefined && o.location !== null && !(typeof o.location === 'number' && Number.isSafeInteger(o.location))) errors.location = ['A valid integer is required.']
  return Object.keys(errors).length ? errors : null
}
