import { graphql } from '../../gql/index.ts'

// The record comes back pending; the normalised cache updates every badge showing it.
export const RetrySyncMutation = graphql(`
  mutation RetrySync($input: RetrySyncInput!) {
    retrySync(input: $input) {
      __typename
      ... on SyncRecord { id status errorMessage retryCount updatedAt }
      ... on Error { message code }
    }
  }
`)
