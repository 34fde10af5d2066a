import { graphql } from '../../gql/index.ts'

/** What every per-item sync indicator reads of a record. */
export const SyncRecordFieldsFragment = graphql(`
  fragment SyncRecord_Fields on SyncRecord {
    id target status errorMessage syncedAt updatedAt removedAt
  }
`)
