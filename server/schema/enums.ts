import { builder } from '../builder.ts'
import { INTEGRATION_TARGETS } from '../targets.ts'

export const NotebookTypeEnum = builder.enumType('NotebookType', { values: ['NOTEBOOK', 'FOLDER', 'PDF', 'EPUB'] as const })

export const OcrStatusEnum = builder.enumType('OcrStatus', {
  description: 'Where a page is on its way to text.',
  values: {
    pending: { value: 'pending', description: 'Waiting to be read.' },
    processing: { value: 'processing', description: 'Being read now.' },
    completed: { value: 'completed', description: 'Text is ready.' },
    failed: { value: 'failed', description: 'Reading failed; see ocrError. Retryable.' },
    skipped: { value: 'skipped', description: 'Not fully read; see ocrError for why (e.g. handwriting needs an OCR provider).' },
    pending_quota: { value: 'pending_quota', description: 'Waiting for OCR quota; resumes by itself.' },
  } as const,
})

export const SyncStatusEnum = builder.enumType('SyncStatus', { values: ['pending', 'success', 'failed', 'retry'] as const })

export const SyncItemTypeEnum = builder.enumType('SyncItemType', { values: ['page_text', 'todo', 'highlight', 'notebook_metadata'] as const })

export const ApiTokenScopeEnum = builder.enumType('ApiTokenScope', {
  values: {
    agent: { value: 'agent', description: 'Upload notebooks (the desktop agent).' },
    read: { value: 'read', description: 'Read notebooks, pages, todos, highlights and sync state.' },
    write: { value: 'write', description: 'Change things: retry syncs, edit highlights, manage integrations.' },
  } as const,
})

/** Values carry the stored target_name: resolvers return it, arguments arrive as it. */
export const IntegrationTargetEnum = builder.enumType('IntegrationTarget', {
  description: 'A service your notebooks are synced to.',
  values: Object.fromEntries(Object.entries(INTEGRATION_TARGETS).map(([key, t]) => [key, { value: t.targetName as string, description: t.description }])),
})
