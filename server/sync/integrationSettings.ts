// The non-secret settings of an integration (the settings column, plain JSON), the same for every
// target: dry run, clean-up on delete, and where the target writes (shown in the dashboard).
/** Where the sync writes, shown in the dashboard; a copy of the non-secret part of the credentials. */
export interface IntegrationDestination {
  databaseId: string
  dataSourceId: string | null
  databaseTitle: string | null
}

export interface IntegrationSettings {
  dryRun: boolean
  cleanUpOnDelete: boolean
  /** Readwise: each page's notes go too, as a highlight with a note (off by default). */
  sendPageNotes: boolean
  destination: IntegrationDestination | null
}

export const DEFAULT_SETTINGS: IntegrationSettings = { dryRun: false, cleanUpOnDelete: false, sendPageNotes: false, destination: null }

/** Reads the settings column leniently: unknown or malformed values fall back to the defaults. */
export function readIntegrationSettings(json: unknown): IntegrationSettings {
  const o = isObject(json) ? json : {}
  const d = isObject(o.destination) ? o.destination : null
  return {
    dryRun: o.dryRun === true,
    cleanUpOnDelete: o.cleanUpOnDelete === true,
    sendPageNotes: o.sendPageNotes === true,
    destination:
      d && typeof d.databaseId === 'string'
        ? {
            databaseId: d.databaseId,
            dataSourceId: typeof d.dataSourceId === 'string' ? d.dataSourceId : null,
            databaseTitle: typeof d.databaseTitle === 'string' ? d.databaseTitle : null,
          }
        : null,
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
