// The per-request (or per-subscription) GraphQL context: who is calling, and the app's services.
import { readBearerToken, readConnectionParamsToken } from './auth/bearerToken.ts'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { AppServices } from './services.ts'
import type { Logger } from './logger.ts'
import type { Db } from './db.ts'
import type { Config } from './config.ts'
import { authenticateToken, type Viewer } from './auth/authenticate.ts'
import { makeLoaders, type Loaders } from './schema/loaders.ts'
import { readClientAddress } from './http/clientAddress.ts'

export type { Viewer }

export interface Context {
  db: Db
  config: Config
  services: AppServices
  logger: Logger
  requestId: string
  viewer: Viewer | null
  /** The caller's network address (rate limits on sign-in). */
  clientAddress: string
  loaders: Loaders
  /** Set by resolvers, applied to the HTTP response (Retry-After). */
  responseHints: ResponseHints
}

export interface ResponseHints {
  retryAfterSeconds?: number
}

/** Hints per HTTP request, read by the response plugin in app.ts. */
export const responseHintsByRequest = new WeakMap<Request, ResponseHints>()

export interface InitialContext {
  request?: Request
  /** Node's request, passed by the HTTP server as server context. */
  req?: IncomingMessage
  /** graphql-ws: the upgrade request and the connection_init payload. */
  extra?: { request?: IncomingMessage }
  connectionParams?: Record<string, unknown>
  /** Already authenticated by the HTTP server (for the rate limit): null when the token is not valid. */
  viewer?: Viewer | null
}

export function makeContextFactory(services: AppServices) {
  return async (init: InitialContext): Promise<Context> => {
    const requestId = init.request?.headers.get('x-request-id') ?? randomUUID()
    const token = readBearerToken(init.request?.headers.get('authorization')) ?? readConnectionParamsToken(init.connectionParams)
    // Already checked by the HTTP server (rate limit); a socket's subscriptions authenticate through
    // the cache the event hub keeps current; a request, always anew.
    const viewer =
      init.viewer !== undefined ? init.viewer : !token ? null : init.extra ? await services.events.viewers.authenticate(token) : await authenticateToken(services.db, token)
    const responseHints: ResponseHints = {}
    if (init.request) responseHintsByRequest.set(init.request, responseHints)
    return {
      db: services.db,
      config: services.config,
      services,
      logger: makeLazyLogger(() => services.logger.child({ requestId, ...(viewer ? { userId: viewer.userId } : {}) })),
      requestId,
      viewer,
      clientAddress: readClientAddress(init.req ?? init.extra?.request, services.config.trustProxy),
      loaders: makeLoaders(services.db, viewer ? viewer.userId : -1),
      responseHints,
    }
  }
}

/** The request's logger, made when first used: most subscriptions (thousands per server) never log. */
function makeLazyLogger(make: () => Logger): Logger {
  let logger: Logger | undefined
  return new Proxy({} as Logger, {
    get(_target, key) {
      logger ??= make()
      const value = Reflect.get(logger, key, logger)
      return typeof value === 'function' ? value.bind(logger) : value
    },
  })
}

/**
 * After signUp / logIn: the rest of the request reads as the session just made, so everything under
 * the payload's `viewer` (notebooks, tokens, sync state) is the signed-in user's, as in a next request.
 */
export async function actAsSession(ctx: Context, token: string): Promise<void> {
  const viewer = await authenticateToken(ctx.db, token)
  ctx.viewer = viewer
  ctx.loaders = makeLoaders(ctx.db, viewer ? viewer.userId : -1)
  ctx.logger = ctx.services.logger.child({ requestId: ctx.requestId, ...(viewer ? { userId: viewer.userId } : {}) })
}
