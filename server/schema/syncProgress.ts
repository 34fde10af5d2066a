// Live progress of a target's work (a catch-up after enabling, a backlog): done / total, recounted
// when the user's sync records change (at most every 250 ms), over graphql-ws or SSE.
import { Repeater } from 'graphql-yoga'
import { builder } from '../builder.ts'
import { countIntegrationItems, type IntegrationCounts } from '../sync/integrationCounts.ts'
import { subscribeToRows } from './subscriptions.ts'
import { IntegrationTargetEnum } from './enums.ts'

interface Progress extends IntegrationCounts {
  target: string
  total: number
}

const SyncProgressRef = builder.objectRef<Progress>('SyncProgress').implement({
  description: 'Where a target stands: items delivered, still to deliver, failed.',
  fields: (t) => ({
    target: t.field({ type: IntegrationTargetEnum, resolve: (p) => p.target }),
    synced: t.exposeInt('synced'),
    pending: t.exposeInt('pending'),
    failed: t.exposeInt('failed'),
    total: t.exposeInt('total'),
  }),
})

const THROTTLE_MS = 250
const RETRY_MS = 1_000

builder.subscriptionField('syncProgress', (t) =>
  t.withAuth({ read: true }).field({
    type: SyncProgressRef,
    description: 'Counts for one target, first now, then whenever they change.',
    args: { target: t.arg({ type: IntegrationTargetEnum, required: true }) },
    subscribe: (_root, args, ctx) => {
      const changes = subscribeToRows<unknown>(ctx, 'sync_record', () => true)
      const userId = ctx.viewer.userId
      const read = async (): Promise<Progress> => {
        const c = await countIntegrationItems(ctx.db, userId, args.target)
        return { target: args.target, ...c, total: c.synced + c.pending + c.failed }
      }
      return new Repeater<Progress>(async (push, stop) => {
        let last = ''
        let timer: NodeJS.Timeout | undefined
        const schedule = (ms: number) => (timer ??= setTimeout(() => ((timer = undefined), void emit()), ms))
        // A recount that fails (PostgreSQL restarting) is tried again until it succeeds: the changes
        // it was to report are not announced twice, and the subscription must not end or fall behind.
        const emit = async () => {
          let p: Progress
          try {
            p = await read()
          } catch (err) {
            ctx.logger.warn({ err }, 'syncProgress: recount failed; trying again')
            schedule(RETRY_MS)
            return
          }
          const key = JSON.stringify(p)
          if (key !== last) (last = key), await push(p)
        }
        await emit()
        const iterator = changes[Symbol.asyncIterator]()
        void (async () => {
          for (let r = await iterator.next(); !r.done; r = await iterator.next()) schedule(THROTTLE_MS)
          stop()
        })()
        await stop
        if (timer) clearTimeout(timer)
        await iterator.return?.()
      })
    },
    resolve: (p) => p,
  }),
)
