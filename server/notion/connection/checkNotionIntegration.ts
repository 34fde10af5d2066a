// The testIntegration mutation for Notion: a live check of stored credentials, reported (never thrown) so the
// dashboard can show what works and what does not.
import type { Client } from '@notionhq/client'
import { ValidationError, type AppError } from '../../errors.ts'
import type { NotionPropertyCheck } from '../databaseProperties.ts'
import {
  NotionCapabilityMissingError,
  NotionDatabaseNotSharedError,
  NotionMultipleDataSourcesError,
  NotionTokenRejectedError,
} from './notionErrors.ts'
import type { IntegrationCredentialsUnreadableError } from '../../sync/integrationErrors.ts'
import { NOTION_TARGET, type NotionCredentials } from './notionIntegration.ts'
import { checkNotionConnection } from './notionConnection.ts'
import type { Outcome } from '../../outcome.ts'

export interface IntegrationCheckReport {
  target: string
  ok: boolean
  checkedAt: Date
  /** null: not known (credentials unreadable, Notion unreachable). */
  tokenAccepted: boolean | null
  databaseReachable: boolean | null
  databaseId: string | null
  dataSourceId: string | null
  databaseTitle: string | null
  properties: NotionPropertyCheck[]
  problem: AppError | null
}

export async function checkNotionIntegration(
  credentials: Outcome<NotionCredentials, IntegrationCredentialsUnreadableError>,
  makeClient: (token: string) => Client,
): Promise<IntegrationCheckReport> {
  const checkedAt = new Date()
  const base = { target: NOTION_TARGET, checkedAt, databaseTitle: null, properties: [] }
  if (!credentials.ok) {
    return { ...base, ok: false, tokenAccepted: null, databaseReachable: null, databaseId: null, dataSourceId: null, problem: credentials.error }
  }
  const { token, databaseId, dataSourceId } = credentials.value
  const checked = await checkNotionConnection(makeClient(token), { databaseId, dataSourceId })
  if (checked.ok) {
    const d = checked.value
    return { ...base, ok: true, tokenAccepted: true, databaseReachable: true, databaseId: d.databaseId, dataSourceId: d.dataSourceId, databaseTitle: d.databaseTitle, properties: d.properties, problem: null }
  }
  const problem = checked.error
  // What the failure tells about the token and the database.
  const tokenAccepted =
    problem instanceof NotionTokenRejectedError
      ? false
      : problem instanceof NotionDatabaseNotSharedError ||
          problem instanceof NotionMultipleDataSourcesError ||
          problem instanceof NotionCapabilityMissingError ||
          problem instanceof ValidationError
        ? true
        : null
  const databaseReachable =
    problem instanceof NotionMultipleDataSourcesError || problem instanceof ValidationError
      ? true
      : problem instanceof NotionDatabaseNotSharedError
        ? false
        : null
  return { ...base, ok: false, tokenAccepted, databaseReachable, databaseId, dataSourceId, problem }
}
