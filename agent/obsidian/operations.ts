// The GraphQL operations of `agent obsidian`, word for word; `npm run generate` checks them against
// schema.graphql and types their results (agent/gql, imported as types only).

export const MARKDOWN_LIBRARY = /* GraphQL */ `query MarkdownLibrary($first: Int!, $after: String) {
  viewer {
    id
    markdownLibrary(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id uuid markdownVersion markdownPath } }
    }
  }
}`

export const NOTEBOOK_MARKDOWN = /* GraphQL */ `query NotebookMarkdown($ids: [ID!]!) {
  nodes(ids: $ids) { __typename ... on Notebook { id uuid markdownVersion markdownPath markdown } }
}`

export const MARKDOWN_CHANGED = /* GraphQL */ `subscription MarkdownChanged {
  markdownChanged { notebookUuid notebook { id uuid markdownVersion markdownPath } }
}`

export const REPORT_AGENT_SYNC = /* GraphQL */ `mutation ReportAgentSync($input: ReportAgentSyncInput!) {
  reportAgentSync(input: $input) {
    __typename
    ... on ReportAgentSyncPayload { removed records { id status } }
    ... on Error { message code }
  }
}`
