// Handwriting OCR in the API: the viewer's quota (Viewer.ocrUsage) and retryPageText, which queues
// a page's text to be read again (after a failure, while it waits for quota, or after a skip).
import { builder } from '../builder.ts'
import { ConflictError, NotAllowedError, NotAuthenticatedError, NotFoundError } from '../errors.ts'
import { readOcrUsage, type OcrUsage } from '../quota/index.ts'
import { retryPageText } from '../extraction/retryPageText.ts'
import { parseGlobalId } from './globalIds.ts'
import { PageRef } from './page.ts'
import { ViewerRef } from './viewer.ts'

const OcrProviderEnum = builder.enumType('OcrProvider', {
  description: 'Who reads handwriting (OCR_PROVIDER).',
  values: {
    NONE: { value: 'none', description: 'Nobody: typed text only; handwritten pages are skipped.' },
    OPENAI_COMPATIBLE: { value: 'openai', description: 'An OpenAI-compatible vision endpoint (OpenAI, Gemini, vLLM, Ollama…).' },
  },
})

const OcrPlanRef = builder.objectRef<{ name: string; pagesPerPeriod: number }>('OcrPlan').implement({
  description: 'A plan and the handwriting pages it allows per period (OCR_QUOTA_PLANS).',
  fields: (t) => ({ name: t.exposeString('name'), pagesPerPeriod: t.exposeInt('pagesPerPeriod') }),
})

type OcrUsageView = OcrUsage & { provider: 'none' | 'openai'; periodDays: number; plans: { name: string; pagesPerPeriod: number }[] }

const OcrUsageRef = builder.objectRef<OcrUsageView>('OcrUsage').implement({
  description: 'Handwriting pages read by OCR in the running quota period. Typed-text-only pages are not counted.',
  fields: (t) => ({
    plan: t.exposeString('plan'),
    used: t.exposeInt('used', { description: 'Pages charged this period (0 when no period runs).' }),
    limit: t.exposeInt('limit', { description: 'Pages the plan allows per period.' }),
    resetsAt: t.expose('resetsAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the period ends and the count starts again; null until the first page of a period is read.',
    }),
    provider: t.field({ type: OcrProviderEnum, description: 'Who reads handwriting on this service; NONE: typed text only.', resolve: (u) => u.provider }),
    periodDays: t.exposeInt('periodDays', { description: 'Length of a quota period in days.' }),
    plans: t.field({ type: [OcrPlanRef], description: 'Every plan and what it allows, smallest first.', resolve: (u) => u.plans }),
    pagesWaiting: t.exposeInt('pagesWaiting', { description: 'Pages waiting for quota (ocrStatus pending_quota); they resume by themselves, newest first.' }),
  }),
})

builder.objectField(ViewerRef, 'ocrUsage', (t) =>
  t.field({
    type: OcrUsageRef,
    resolve: async (user, _args, ctx) => {
      const usage = await readOcrUsage(ctx.db, ctx.config.ocr.quota, user.id)
      if (!usage) throw new Error(`user ${user.id} vanished`)
      const { provider, quota } = ctx.config.ocr
      const plans = Object.entries(quota.plans).map(([name, pagesPerPeriod]) => ({ name, pagesPerPeriod })).sort((a, b) => a.pagesPerPeriod - b.pagesPerPeriod)
      return { ...usage, provider, periodDays: quota.periodDays, plans }
    },
  }),
)

const RetryPageTextInput = builder.inputType('RetryPageTextInput', { fields: (t) => ({ id: t.id({ required: true, description: 'The page.' }) }) })

builder.mutationField('retryPageText', (t) =>
  t.withAuth({ write: true }).field({
    type: PageRef,
    description: "Reads a page's text again: a failed page, one waiting for quota, or one skipped. The same bytes are not charged to the quota twice.",
    args: { input: t.arg({ type: RetryPageTextInput, required: true }) },
    errors: { types: [NotFoundError, ConflictError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'RetryPageTextResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      return retryPageText(ctx.db, viewer.userId, parseGlobalId(String(input.id), 'Page'))
    },
  }),
)
