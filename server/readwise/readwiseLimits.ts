// Readwise's documented limits (readwise.io/api_deets): what one highlight may hold, and what this
// product sends per request.
export const READWISE_MAX_TEXT = 8191
export const READWISE_MAX_NOTE = 8191
export const READWISE_MAX_TITLE = 511
export const READWISE_MAX_AUTHOR = 1024
/** Highlights per create request. Readwise documents no maximum; this keeps a request well under a megabyte. */
export const READWISE_CREATE_BATCH = 100
/** `source_type`: "a meaningful unique identifier for your app (3–64 characters, no spaces)". */
export const READWISE_SOURCE_TYPE = 'rmirror'
