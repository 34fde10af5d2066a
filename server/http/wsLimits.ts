// Limits of graphql-ws connections, the socket counterpart of the HTTP ones: messages no larger than
// an HTTP body (the WebSocketServer's maxPayload), so many operations per connection per second,
// so many open subscriptions per token, and a connection without a valid token is closed after a
// short window. Counts are this process's (a connection lives in one process).
import { GraphQLError } from 'graphql'
import type { Viewer } from '../auth/authenticate.ts'

export interface WsLimits {
  operationsPerSecond: number
  operationBurst: number
  subscriptionsPerToken: number
  /** How long a connection without a valid token stays open. */
  unauthenticatedWindowMs: number
}

/** Close code for a connection that did not authenticate in time (4401, as graphql-ws' own Unauthorized). */
export const WS_UNAUTHENTICATED_CLOSE = 4401

interface SocketLike {
  close(code?: number, reason?: string): void
}

interface ConnectionState {
  viewer: Viewer | null
  tokens: number
  refilledAt: number
  closeTimer?: NodeJS.Timeout
}

function rateLimited(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } })
}

export function makeWsGuard(limits: WsLimits) {
  const connections = new WeakMap<object, ConnectionState>()
  const openByToken = new Map<string, number>()

  return {
    /** At connection_init: remember who connected; an anonymous connection gets its closing time. */
    opened(connection: object, socket: SocketLike, viewer: Viewer | null) {
      const state: ConnectionState = { viewer, tokens: limits.operationBurst, refilledAt: Date.now() }
      if (!viewer) {
        state.closeTimer = setTimeout(() => socket.close(WS_UNAUTHENTICATED_CLOSE, 'Unauthenticated: send a valid token in connection_init'), limits.unauthenticatedWindowMs)
        state.closeTimer.unref()
      }
      connections.set(connection, state)
    },

    closed(connection: object) {
      const state = connections.get(connection)
      if (state?.closeTimer) clearTimeout(state.closeTimer)
      connections.delete(connection)
    },

    /** One operation on this connection: null when allowed, else the error to answer it with. */
    takeOperation(connection: object): GraphQLError | null {
      const state = connections.get(connection)
      if (!state) return null
      const now = Date.now()
      state.tokens = Math.min(limits.operationBurst, state.tokens + ((now - state.refilledAt) / 1000) * limits.operationsPerSecond)
      state.refilledAt = now
      if (state.tokens < 1) return rateLimited(`More than ${limits.operationsPerSecond} operations per second on this connection; slow down`)
      state.tokens -= 1
      return null
    },

    /** A subscription about to start: a release function (call it once it ends), or the error refusing it. */
    reserveSubscription(connection: object): (() => void) | GraphQLError {
      const tokenHash = connections.get(connection)?.viewer?.tokenHash
      // Anonymous subscriptions are refused by the resolvers; nothing to count.
      if (!tokenHash) return () => {}
      const open = openByToken.get(tokenHash) ?? 0
      if (open >= limits.subscriptionsPerToken) return rateLimited(`This token already has ${open} open subscriptions; end one first`)
      openByToken.set(tokenHash, open + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const left = (openByToken.get(tokenHash) ?? 1) - 1
        if (left > 0) openByToken.set(tokenHash, left)
        else openByToken.delete(tokenHash)
      }
    },
  }
}

/** Calls `release` once the subscription's stream ends, however it ends (finished, completed by the client, socket closed). */
export function releaseWhenDone<T>(result: AsyncIterable<T> | T, release: () => void): AsyncIterable<T> | T {
  if (!result || typeof (result as AsyncIterable<T>)[Symbol.asyncIterator] !== 'function') {
    release()
    return result
  }
  const inner = (result as AsyncIterable<T>)[Symbol.asyncIterator]() as AsyncIterator<T>
  const wrapped: AsyncIterableIterator<T> & { return(value?: unknown): Promise<IteratorResult<T>>; throw(err?: unknown): Promise<IteratorResult<T>> } = {
    async next() {
      try {
        const step = await inner.next()
        if (step.done) release()
        return step
      } catch (err) {
        release()
        throw err
      }
    },
    async return(value?: unknown) {
      release()
      return inner.return ? inner.return(value) : { done: true, value: value as T }
    },
    async throw(err?: unknown) {
      release()
      if (inner.throw) return inner.throw(err)
      throw err
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  return wrapped
}
