// Correcting a highlight's text; the correction is what targets show from then on.
import { builder } from '../builder.ts'
import { NotAllowedError, NotAuthenticatedError, NotFoundError, ValidationError } from '../errors.ts'
import { parseGlobalId } from './globalIds.ts'
import { HighlightRef } from './highlight.ts'
import { CORRECTED_TEXT_MAX_LENGTH, updateHighlight } from '../extraction/updateHighlight.ts'

const UpdateHighlightInput = builder.inputType('UpdateHighlightInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'A Highlight id.' }),
    correctedText: t.string({
      required: false,
      description: `The passage as it should read (at most ${CORRECTED_TEXT_MAX_LENGTH.toLocaleString('en')} characters); null or "" clears the correction.`,
    }),
  }),
})

builder.mutationField('updateHighlight', (t) =>
  t.withAuth({ write: true }).field({
    type: HighlightRef,
    description: "Sets or clears a highlight's corrected text; the change is queued for sync at every target.",
    args: { input: t.arg({ type: UpdateHighlightInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'UpdateHighlightResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const highlightId = parseGlobalId(String(input.id), 'Highlight')
      const outcome = await updateHighlight(ctx.db, viewer.userId, { highlightId, correctedText: input.correctedText })
      if (outcome.ok) return outcome.highlight
      if (outcome.error.code === 'NOT_FOUND') throw new NotFoundError(outcome.error.message)
      throw new ValidationError(outcome.error.message, outcome.error.field)
    },
  }),
)
