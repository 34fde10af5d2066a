// Notion's per-request limits, as its API reference states them (developers.notion.com/reference/
// request-limits and /patch-block-children), as the packer and the rich-text builder use them.

export type NotionLimits = {
  /** Children per array, at every level of a request ("Arrays of block children longer than 100"). */
  maxChildrenPerArray: number
  /** Block elements per request, every block object counted, nested ones included. */
  maxElementsPerRequest: number
  /**
   * Request body bytes. Notion's limit is "500KB overall"; we plan for 450,000 bytes because the
   * docs do not say whether KB is 1,000 or 1,024 bytes nor how the body is measured, and a 413
   * after half a sync is worse than one more request.
   */
  maxBodyBytes: number
  /** Levels of blocks per request: top-level, children, grandchildren ("two levels of nesting"). */
  maxLevelsPerRequest: number
}

export const NOTION_LIMITS = {
  maxChildrenPerArray: 100,
  maxElementsPerRequest: 1000,
  maxBodyBytes: 450_000,
  maxLevelsPerRequest: 3,
} as const satisfies NotionLimits

/** Notion's documented body limit; NOTION_LIMITS.maxBodyBytes keeps a margin below it. */
export const NOTION_MAX_BODY_BYTES = 500_000
