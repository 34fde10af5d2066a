// Live progress of a target's work (a catch-up after enabling, a backlog): done / total, recounted
// when the user's sync records change (at most every 250 ms), over graphql-ws or SSE.
import { Repeater } from 'graphql-yoga'
import { builder } from '../builder.ts'
import { countIntegrationItems, type IntegrationCounts } from '../sync/integrationCounts.ts'
import { subscribeToRows } from './subscriptions.ts'
import { IntegrationTargetEnum } from './enums.ts'
import type { Db } from '../db.ts'

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

/** Counts being read, per user and target: subscribers told of the same change share one count. */
const countsInFlight = new Map<string, { startedAt: number; counts: Promise<IntegrationCounts> }>()

/** The counts, read at `notBefore` or later (a count started earlier may miss the change that asked for it). */
function readCountsOnce(db: Db, userId: number, target: string, notBefore: number): Promise<IntegrationCounts> {
  const key = `${userId}:${target}`
  const inFlight = countsInFlight.get(key)
  if (inFlight && inFlight.startedAt >= notBefore) return inFlight.counts
  const entry = { startedAt: performance.now(), counts: countIntegrationItems(db, userId, target) }
  countsInFlight.set(key, entry)
  const forget = () => void (countsInFlight.get(key) === entry && countsInFlight.delete(key))
  entry.counts.then(forget, forget)
  return entry.counts
}

builder.subscriptionField('syncProgress', (t) =>
  t.withAuth({ read: true }).field({
    type: SyncProgressRef,
    description: 'Counts for one target, first now, then whenever they change.',
    args: { target: t.arg({ type: IntegrationTargetEnum, required: true }) },
    subscribe: (_root, args, ctx) => {
      const changes = subscribeToRows<unknown>(ctx, 'sync_record', () => true)
      const userId = ctx.viewer!.userId
      const read = async (notBefore: number): Promise<Progress> => {
        const c = await readCountsOnce(ctx.db, userId, args.target, notBefore)
        return { target: args.target, ...c, total: c.synced + c.pending + c.failed }
      }
      return new Repeater<Progress>(async (push, stop) => {
        let last = ''
        let timer: NodeJS.Timeout | undefined
        let changedAt = 0
        const schedule = (ms: number) => (timer ??= setTimeout(() => ((timer = undefined), void emit(changedAt)), ms))
        // A recount that fails (PostgreSQL restarting) is tried again until it succeeds: the changes
        // it was to report are not announced twice, and the subscription must not end or fall behind.
        const emit = async (notBefore: number) => {
          let p: Progress
          try {
            p = await read(notBefore)
          } catch (err) {
            ctx.logger.warn({ err }, 'syncProgress: recount failed; trying again')
            schedule(RETRY_MS)
            return
          }
          const key = JSON.stringify(p)
          if (key !== last) (last = key), await push(p)
        }
        await emit(performance.now())
        const iterator = changes[Symbol.asyncIterator]()
        void (async () => {
          for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            changedAt = performance.now()
            schedule(THROTTLE_MS)
          }
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
