// Subscriptions whose events are resolved once and shared: the subscribers that get the same row (the
// same object, from the one listener) with the same operation, variables and viewer get the same
// result, executed once. Reads those executions make are batched per user and tick (one set of
// loaders), so an event costs a few statements however many subscribers hear it.
import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.ts'
import { makeLoaders, type Loaders } from './loaders.ts'

const documentIds = new WeakMap<DocumentNode, number>()
let lastDocumentId = 0

/** What makes two subscribers' results the same: the operation (parsed documents are cached, so one object per text), its variables, the viewer. */
function readSelectionKey(args: ExecutionArgs): string {
  let documentId = documentIds.get(args.document)
  if (documentId === undefined) documentIds.set(args.document, (documentId = ++lastDocumentId))
  const viewer = (args.contextValue as Context | undefined)?.viewer
  const who = viewer ? `${viewer.userId}:${[...viewer.scopes].sort().join(',')}` : '-'
  return `${documentId}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${who}`
}

const resultsByEvent = new WeakMap<object, Map<string, Promise<ExecutionResult>>>()

/** Loaders of this tick, per user: the executions of one event batch their reads together. */
let loadersThisTick: Map<number, Loaders> | undefined

function loadersFor(ctx: Context): Loaders {
  const userId = ctx.viewer && ctx.viewer.scopes.has('read') ? ctx.viewer.userId : -1
  if (!loadersThisTick) {
    loadersThisTick = new Map()
    setImmediate(() => (loadersThisTick = undefined))
  }
  let loaders = loadersThisTick.get(userId)
  if (!loaders) loadersThisTick.set(userId, (loaders = makeLoaders(ctx.db, userId)))
  return loaders
}

function resolveEvent(args: ExecutionArgs, selectionKey: string, payload: unknown): Promise<ExecutionResult> {
  const run = async () => {
    const ctx = args.contextValue as Context
    return execute({ ...args, rootValue: payload, contextValue: { ...ctx, loaders: loadersFor(ctx) } }) as ExecutionResult | Promise<ExecutionResult>
  }
  if (typeof payload !== 'object' || payload === null) return run()
  let results = resultsByEvent.get(payload)
  if (!results) resultsByEvent.set(payload, (results = new Map()))
  let result = results.get(selectionKey)
  if (!result) results.set(selectionKey, (result = run()))
  return result
}

/** A subscription's events mapped to results; ending it ends the source at once (as graphql-js does). */
function mapEvents(source: AsyncIterator<unknown>, map: (payload: unknown) => Promise<ExecutionResult>): AsyncGenerator<ExecutionResult> {
  const mapResult = async (r: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> => {
    if (r.done) return { value: undefined, done: true }
    try {
      return { value: await map(r.value), done: false }
    } catch (err) {
      await source.return?.().catch(() => {})
      throw err
    }
  }
  const iterator: AsyncGenerator<ExecutionResult> = {
    next: async () => mapResult(await source.next()),
    return: async () => (source.return ? mapResult(await source.return()) : { value: undefined, done: true }),
    throw: async (err) => {
      if (source.throw) return mapResult(await source.throw(err))
      throw err
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}

export async function subscribeShared(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args)
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult
  const selectionKey = readSelectionKey(args)
  return mapEvents(source[Symbol.asyncIterator](), (payload) => resolveEvent(args, selectionKey, payload))
}

/** Runs subscriptions (graphql-ws and SSE alike) through subscribeShared. */
export const sharedSubscriptionsPlugin: Plugin = {
  onSubscribe({ setSubscribeFn }) {
    setSubscribeFn(subscribeShared as any)
  },
}
