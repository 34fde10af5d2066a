// The integration operations the dashboard (and outside tools) send, typed from schema.graphql.
import { graphql } from '../gql/index.ts'
import type { TestApp } from '../helpers/testApp.ts'

export const IntegrationsSignUp = graphql(`
  mutation IntegrationsSignUp($input: SignUpInput!) {
    signUp(input: $input) { __typename ... on AuthPayload { token viewer { id } } ... on Error { code message } }
  }
`)

export const IntegrationsCreateToken = graphql(`
  mutation IntegrationsCreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } ... on Error { code } }
  }
`)

export const ConnectNotion = graphql(`
  mutation ConnectNotion($input: ConnectIntegrationInput!) {
    connectIntegration(input: $input) {
      __typename
      ... on Integration {
        id target enabled credentialHint databaseId dataSourceId databaseTitle lastSyncedAt
        settings { dryRun cleanUpOnDelete }
        counts { synced pending failed }
      }
      ... on Error { code message }
      ... on ValidationError { field }
      ... on NotionDatabaseNotSharedError { notSharedDatabaseId: databaseId }
      ... on NotionMultipleDataSourcesError { multiSourceDatabaseId: databaseId dataSources { id name } }
      ... on NotionUnreachableError { status }
      ... on NotionRateLimitedError { retryAfterSeconds }
    }
  }
`)

export const MyIntegrations = graphql(`
  query MyIntegrations {
    integrations {
      id target enabled credentialHint databaseId dataSourceId databaseTitle lastSyncedAt createdAt updatedAt
      settings { dryRun cleanUpOnDelete }
      counts { synced pending failed }
    }
    viewer { id email integrations { id target enabled credentialHint databaseTitle counts { synced pending failed } } }
  }
`)

export const IntegrationNode = graphql(`
  query IntegrationNode($id: ID!) {
    node(id: $id) { __typename ... on Integration { id target credentialHint } }
  }
`)

export const TestNotion = graphql(`
  mutation TestNotion($input: TestIntegrationInput!) {
    testIntegration(input: $input) {
      __typename
      ... on IntegrationTestResult {
        target ok checkedAt tokenAccepted databaseReachable databaseId dataSourceId databaseTitle
        properties { name expectedType foundType foundName matches }
        problem { code message dataSources { id name } retryAfterSeconds }
      }
      ... on Error { code message }
    }
  }
`)

export const SetNotionEnabled = graphql(`
  mutation SetNotionEnabled($input: SetIntegrationEnabledInput!) {
    setIntegrationEnabled(input: $input) {
      __typename
      ... on Integration { id enabled counts { synced pending failed } }
      ... on Error { code message }
    }
  }
`)

export const UpdateNotionSettings = graphql(`
  mutation UpdateNotionSettings($input: UpdateIntegrationSettingsInput!) {
    updateIntegrationSettings(input: $input) {
      __typename
      ... on Integration { id settings { dryRun cleanUpOnDelete } databaseId }
      ... on Error { code message }
    }
  }
`)

export const DisconnectNotion = graphql(`
  mutation DisconnectNotion($input: DisconnectIntegrationInput!) {
    disconnectIntegration(input: $input) {
      __typename
      ... on DisconnectIntegrationPayload { target syncRecordsDeleted syncRecordsKept }
      ... on Error { code message }
    }
  }
`)

export const FindDatabases = graphql(`
  mutation FindDatabases($input: FindNotionDatabasesInput!) {
    findNotionDatabases(input: $input) {
      __typename
      ... on FindNotionDatabasesPayload { databases { id title url dataSources { id name missingProperties } } }
      ... on Error { code message }
    }
  }
`)

export const CreateDatabase = graphql(`
  mutation CreateDatabase($input: CreateNotionDatabaseInput!) {
    createNotionDatabase(input: $input) {
      __typename
      ... on NotionDatabase { id title url dataSources { id name missingProperties } }
      ... on Error { code message }
      ... on ValidationError { field }
      ... on NotionPageNotSharedError { pageId }
    }
  }
`)

/** A new account's session token and user id. */
export async function signUpUser(app: TestApp, email: string): Promise<{ token: string; userId: number }> {
  const r = await app.gql(IntegrationsSignUp, { input: { email, password: 'correct horse battery' } })
  if (r.data?.signUp.__typename !== 'AuthPayload') throw new Error(`sign-up failed: ${JSON.stringify(r)}`)
  const row = await app.database.query<{ id: number }>('select id from users where email = $1', [email])
  return { token: r.data.signUp.token, userId: row.rows[0].id }
}
