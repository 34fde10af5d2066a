// The GraphQL operations the agent sends: the service's agent contract, word for word.

export const VIEWER = /* GraphQL */ `query Viewer { viewer { id email } }`

export const SYNC_NOTEBOOK_METADATA = /* GraphQL */ `mutation SyncNotebookMetadata($input: SyncNotebookMetadataInput!) {
  syncNotebookMetadata(input: $input) {
    __typename
    ... on SyncNotebookMetadataPayload { notebooks { id uuid } }
    ... on Error { message code }
  }
}`

export const UPLOAD_PAGE = /* GraphQL */ `mutation UploadPage($input: UploadPageInput!) {
  uploadPage(input: $input) {
    __typename
    ... on UploadPagePayload { outcome page { id uuid fileSha256 ocrStatus } }
    ... on Error { message code }
  }
}`

export const DELETE_NOTEBOOK = /* GraphQL */ `mutation DeleteNotebook($input: DeleteNotebookInput!) {
  deleteNotebook(input: $input) { __typename ... on Error { message code } }
}`

export type NotebookType = 'NOTEBOOK' | 'FOLDER' | 'PDF' | 'EPUB'

export interface NotebookMetadataInput {
  uuid: string
  visibleName: string
  type: NotebookType
  parentUuid: string | null
  /** In page order, deleted pages left out; required for NOTEBOOK, PDF and EPUB. */
  pageUuids?: string[]
  tags: string[]
  lastModified: string | null
  lastOpened: string | null
  lastOpenedPage: number | null
  pinned: boolean
  deleted: boolean
}

export type UploadOutcome = 'STORED' | 'UNCHANGED' | 'RETRIED'

export interface UploadedPage {
  outcome: UploadOutcome
  page: { id: string; uuid: string; fileSha256: string | null; ocrStatus: string | null } | null
}
