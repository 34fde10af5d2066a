// Expected failures of connecting and checking a Notion integration: each says what the user can do.
// Messages never hold the token (nor anything Notion echoed of the request).
import { AppError } from '../../errors.ts'

export class NotionTokenRejectedError extends AppError {
  override readonly code = 'NOTION_TOKEN_REJECTED'
  constructor(message = 'Notion rejected the integration token: copy the "Internal Integration Secret" again from notion.so/profile/integrations') {
    super(message)
    this.name = 'NotionTokenRejectedError'
  }
}

export class NotionDatabaseNotSharedError extends AppError {
  override readonly code = 'NOTION_DATABASE_NOT_SHARED'
  constructor(readonly databaseId: string, message?: string) {
    super(
      message ??
        `Notion found no database ${databaseId} that this integration can see: open the database in Notion, ` +
          'choose ••• → Connections and add the integration (or check the id)',
    )
    this.name = 'NotionDatabaseNotSharedError'
  }
}

export class NotionPageNotSharedError extends AppError {
  override readonly code = 'NOTION_PAGE_NOT_SHARED'
  constructor(readonly pageId: string) {
    super(`Notion found no page ${pageId} that this integration can see: open the page in Notion, choose ••• → Connections and add the integration`)
    this.name = 'NotionPageNotSharedError'
  }
}

export interface NotionDataSourceChoice {
  id: string
  name: string
}

export class NotionMultipleDataSourcesError extends AppError {
  override readonly code = 'NOTION_MULTIPLE_DATA_SOURCES'
  constructor(
    readonly databaseId: string,
    readonly dataSources: readonly NotionDataSourceChoice[],
  ) {
    super(`This Notion database holds ${dataSources.length} data sources: pick the one to sync into (dataSourceId)`)
    this.name = 'NotionMultipleDataSourcesError'
  }
}

export class NotionCapabilityMissingError extends AppError {
  override readonly code = 'NOTION_CAPABILITY_MISSING'
  constructor(message = 'The Notion integration lacks a capability it needs: enable Read, Update and Insert content in its settings') {
    super(message)
    this.name = 'NotionCapabilityMissingError'
  }
}

export class NotionUnreachableError extends AppError {
  override readonly code = 'NOTION_UNREACHABLE'
  constructor(
    /** The HTTP status Notion answered, or null when no answer came (network, timeout). */
    readonly status: number | null,
    message = status === null
      ? 'Notion could not be reached (network error or timeout); try again in a moment'
      : `Notion answered ${status} (it is having trouble); try again in a moment`,
  ) {
    super(message)
    this.name = 'NotionUnreachableError'
  }
}

export class NotionRateLimitedError extends AppError {
  override readonly code = 'NOTION_RATE_LIMITED'
  constructor(readonly retryAfterSeconds: number) {
    super(`Notion asked this integration to slow down; try again in ${retryAfterSeconds} s`)
    this.name = 'NotionRateLimitedError'
  }
}

/** Every failure talking to Notion that the user can act on. */
export type NotionFailure =
  | NotionTokenRejectedError
  | NotionDatabaseNotSharedError
  | NotionPageNotSharedError
  | NotionMultipleDataSourcesError
  | NotionCapabilityMissingError
  | NotionUnreachableError
  | NotionRateLimitedError
