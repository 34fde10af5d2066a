// reportAgentSync: the desktop agent says what it wrote to a target only it reaches (an Obsidian
// vault), so that target has a per-notebook status like the ones the worker syncs
// (server/sync/reportAgentSync.ts).
import { builder } from '../builder.ts'
import { NotAllowedError, NotAuthenticatedError, ValidationError } from '../errors.ts'
import { AGENT_TARGETS } from '../sync/markdownChanges.ts'
import { MAX_REPORTED_NOTEBOOKS, reportAgentSync, type AgentReportResult } from '../sync/reportAgentSync.ts'
import { parseGlobalId } from './globalIds.ts'
import { IntegrationTargetEnum } from './enums.ts'
import { SyncRecordRef } from './syncRecord.ts'

const AgentWriteInput = builder.inputType('AgentWriteInput', {
  fields: (t) => ({
    notebookId: t.id({ required: true }),
    markdownVersion: t.string({ required: true, description: 'The Notebook.markdownVersion of the Markdown written.' }),
    location: t.string({ required: true, description: "Where it was written, relative to the target's root (a path in the vault)." }),
    conflictLocation: t.string({ description: 'Set when the file at `location` had been edited by hand and was left alone: where the new version went instead.' }),
  }),
})

const ReportAgentSyncInput = builder.inputType('ReportAgentSyncInput', {
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, required: true, description: 'A target the agent writes (OBSIDIAN).' }),
    written: t.field({ type: [AgentWriteInput], required: true }),
    removedUuids: t.stringList({ description: "Notebooks deleted at the source whose files the agent took out (removed or archived)." }),
  }),
})

const ReportAgentSyncPayload = builder.objectRef<AgentReportResult>('ReportAgentSyncPayload').implement({
  fields: (t) => ({
    records: t.field({
      type: [SyncRecordRef],
      description: "Each reported notebook's record: success at its current version, pending if it changed since, failed if edited by hand.",
      resolve: (r) => r.records,
    }),
    removed: t.exposeInt('removed', { description: 'Records of deleted notebooks dropped.' }),
  }),
})

builder.mutationField('reportAgentSync', (t) =>
  t.withAuth({ agent: true }).field({
    type: ReportAgentSyncPayload,
    description: `What the agent wrote to a target only it reaches (at most ${MAX_REPORTED_NOTEBOOKS} notebooks per call); scope "agent".`,
    args: { input: t.arg({ type: ReportAgentSyncInput, required: true }) },
    errors: { types: [ValidationError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'ReportAgentSyncResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const target = input.target as string
      if (!AGENT_TARGETS.includes(target)) throw new ValidationError(`${target} is synced by the worker; only targets the agent writes are reported`, 'target')
      const written = input.written.map((w, i) => {
        let notebookId: number
        try {
          notebookId = parseGlobalId(String(w.notebookId), 'Notebook')
        } catch {
          throw new ValidationError('Not a notebook id', `written.${i}.notebookId`)
        }
        return { notebookId, version: w.markdownVersion, location: w.location, conflictLocation: w.conflictLocation ?? null }
      })
      return reportAgentSync(ctx.db, viewer.userId, target, { written, removedUuids: input.removedUuids ?? [] })
    },
  }),
)
