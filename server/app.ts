// buildApp: one HTTP server carrying GraphQL (yoga: POST/GET, GraphiQL, SSE), graphql-ws on the same
// path, /healthz, signed files under /files/, and the built dashboard. `index.ts` only runs it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga'
import { WebSocketServer } from 'ws'
import { useServer } from 'graphql-ws/use/ws'
import { GraphQLError, getOperationAST, type ExecutionArgs } from 'graphql'
import { schema } from './schema/index.ts'
import { AppError } from './errors.ts'
import { makeContextFactory, responseHintsByRequest, type InitialContext } from './context.ts'
import { checkQueryLimits } from './http/queryLimits.ts'
import { rateLimitKey, refuseIfRateLimited } from './http/apiRateLimit.ts'
import { checkQueryLimitsOnce } from './http/checkQueryLimitsOnce.ts'
import { sharedSubscriptionsPlugin } from './schema/sharedSubscriptions.ts'
import { readClientAddress } from './http/clientAddress.ts'
import { readConnectionParamsToken, readRequestToken } from './auth/bearerToken.ts'
import { makeWsGuard, releaseWhenDone } from './http/wsLimits.ts'
import { redactLiteralErrors, redactVariableError } from './http/secretInputs.ts'
import { authenticateToken, type Viewer } from './auth/authenticate.ts'
import type { AppServices } from './services.ts'
import { makeStaticHandler } from './http/staticFiles.ts'
import { makeFilesHandler } from './http/pageThumbnail.ts'
import { makeRenderPool } from './rm/renderPool.ts'
import { makeHealthProbe } from './http/healthz.ts'
import { isMarkdownDownloadPath, makeMarkdownDownloadHandler } from './http/markdownDownloads.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const VERSION = process.env.npm_package_version ?? '0.1.0'

export interface RunningApp {
  url: string
  port: number
  stop(): Promise<void>
}

// Largest JSON body (query + variables); uploads are multipart and bounded by UPLOAD_MAX_BYTES.
const MAX_JSON_BODY_BYTES = 1024 * 1024

const limitsPlugin: Plugin = {
  onValidate({ params }) {
    return ({ valid, result, setResult }) => {
      if (!valid) setResult(redactLiteralErrors(params.schema, params.documentAST, result as readonly GraphQLError[]))
    }
  },
  onExecute({ args, setResultAndStopExecution }) {
    const errors = checkQueryLimits(args.schema, args.document, args.operationName, args.variableValues)
    if (errors.length) setResultAndStopExecution({ errors })
  },
  onSubscribe({ args, setResultAndStopExecution }) {
    const errors = checkQueryLimitsOnce(args.schema, args.document, args.operationName, args.variableValues)
    if (errors.length) setResultAndStopExecution({ errors })
  },
  onResponse({ request, response }) {
    const hints = responseHintsByRequest.get(request)
    if (hints?.retryAfterSeconds) response.headers.set('retry-after', String(hints.retryAfterSeconds))
  },
}

function answerJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

/** Refuses bodies over the limit before reading them (413), and bodies of unknown length (411). */
function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, uploadMaxBytes: number): boolean {
  if (req.method !== 'POST') return false
  const length = req.headers['content-length']
  if (length === undefined) {
    answerJson(res, 411, { errors: [{ message: 'Content-Length is required', extensions: { code: 'LENGTH_REQUIRED' } }] })
    return true
  }
  const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')
  // Up to twice the file limit is read, so a file somewhat too large gets a typed FileTooLargeError.
  const max = multipart ? 2 * uploadMaxBytes + 64 * 1024 : MAX_JSON_BODY_BYTES
  if (Number(length) > max) {
    answerJson(res, 413, { errors: [{ message: `Request body too large (at most ${max} bytes)`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] })
    req.resume()
    return true
  }
  return false
}

/**
 * A request body that stops arriving (shorter than its Content-Length, or trickled) is answered 408
 * and its connection closed after `idleMs` of silence, instead of holding the connection for minutes.
 * The timer covers only the reading of the body: responses (SSE streams) are not bounded by it.
 */
function dropIfBodyStalls(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  if (!hasBody) return
  const socket = req.socket
  const stalled = () => {
    if (!res.headersSent) answerJson(res, 408, { errors: [{ message: 'The request body stopped arriving', extensions: { code: 'REQUEST_TIMEOUT' } }] }, { connection: 'close' })
    socket.destroySoon()
  }
  // On the request, not the socket: Node destroys a timed-out socket nobody listens for, unanswered.
  req.setTimeout(idleMs, stalled)
  const done = () => {
    socket.setTimeout(0)
    req.removeListener('timeout', stalled)
  }
  req.once('end', done)
  res.once('close', done)
}

export interface BuildAppOptions {
  /** Where the built dashboard is (default web/dist); tests serve a build of their own. */
  webDistDir?: string
}

export function buildApp(services: AppServices, options: BuildAppOptions = {}) {
  const { config, logger, db } = services
  const makeContext = makeContextFactory(services)
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse; viewer?: Viewer | null }>({
    schema,
    plugins: [limitsPlugin, sharedSubscriptionsPlugin],
    graphqlEndpoint: '/graphql',
    // The dashboard is served from the same origin; other sites only when configured (CORS_ORIGINS),
    // never any origin that asks (yoga's default reflects it, with credentials).
    cors: config.corsOrigins.length ? { origin: config.corsOrigins, credentials: true } : false,
    context: (init) => makeContext(init as InitialContext),
    graphiql: { title: 'rmirror-cloud GraphQL', subscriptionsProtocol: 'WS' },
    // GraphiQL's scripts and styles come with the server, not from a CDN, so it works offline; the
    // package (several MB of assets) loads on the first GraphiQL request, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    landingPage: false,
    logging: false,
    maskedErrors: {
      maskError(error, message) {
        // Unexpected errors reach the client as a generic message; the log keeps the context.
        const original = (error as any)?.originalError ?? error
        // Expected failures outside a typed result (e.g. refusing a subscription) keep their message and code.
        if (original instanceof AppError) return createGraphQLError(original.message, { extensions: { code: original.code } })
        if ((error as any)?.extensions?.code || original?.extensions?.code) return error as Error
        // graphql-js's own word on the request (a variable of the wrong type, an enum value that does
        // not exist) is a GraphQLError all the way down: the caller's to read, not an unexpected failure.
        if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError))
          return redactVariableError(schema, new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } }))
        logger.error({ err: original }, 'unexpected error in a GraphQL operation')
        return createGraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
      },
    },
  })

  const serveStatic = config.serveWeb ? makeStaticHandler(options.webDistDir ?? path.join(root, 'web', 'dist')) : undefined
  // Thumbnails are drawn in worker threads, within the configured bounds.
  const renderPool = makeRenderPool({ threads: config.render.threads, bounds: config.render })
  const serveFiles = makeFilesHandler(services, renderPool)
  // /healthz on a connection of its own: a pool busy with slow requests does not make it fail.
  const health = makeHealthProbe(services.databaseUrl, services.storage, VERSION)
  const serveMarkdown = makeMarkdownDownloadHandler(services)

  const { requestTimeoutMs, idleTimeoutMs } = config.http
  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now()
    const url = req.url ?? '/'
    dropIfBodyStalls(req, res, idleTimeoutMs)
    try {
      if (url === '/healthz' || url.startsWith('/healthz?')) return await health.answer(res)
      if (url === '/graphql' || url.startsWith('/graphql?') || url.startsWith('/graphql/')) {
        if (refuseOversizedBody(req, res, config.uploadMaxBytes)) return
        const wantsGraphiql = req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html')
        if (wantsGraphiql) return await yoga.handle(req, res, { req, res })
        // Authenticated once here, for the rate limit's key and for the request's context.
        const token = readRequestToken(req)
        const viewer = token ? await authenticateToken(db, token) : null
        if (await refuseIfRateLimited(db, res, rateLimitKey(viewer, readClientAddress(req, config.trustProxy)), config.apiRateLimit)) return
        return await yoga.handle(req, res, { req, res, viewer })
      }
      // Signed URLs only (Page.thumbnailUrl, Notebook.markdownUrl, Viewer.libraryExportUrl): the
      // handlers check the signature before anything else.
      if (isMarkdownDownloadPath(url)) return await serveMarkdown(req, res)
      if (url.startsWith('/files/')) return await serveFiles(req, res)
      if (serveStatic?.(req, res)) return
      answerJson(res, 404, { error: 'not found' })
    } catch (err) {
      logger.error({ err, url: url.split('?')[0] }, 'request failed')
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'internal error' }))
    } finally {
      res.once('finish', () => logger.debug({ method: req.method, path: url.split('?')[0], status: res.statusCode, ms: Date.now() - started }, 'http'))
    }
  }
  const server = createServer(
    // Node checks these deadlines every connectionsCheckingInterval (30 s by default): once a second here.
    { requestTimeout: requestTimeoutMs, headersTimeout: Math.min(idleTimeoutMs, requestTimeoutMs), connectionsCheckingInterval: 1000 },
    handleRequest,
  )

  // Messages no larger than an HTTP body: ws closes the connection (1009) above it, unread.
  const wsServer = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_JSON_BODY_BYTES })
  const wsGuard = makeWsGuard(config.wsLimits)
  const wsDisposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: async (args: any) => {
        try {
          return releaseWhenDone(await args.rootValue.subscribe(args), args.rootValue.release)
        } catch (err) {
          args.rootValue.release()
          throw err
        }
      },
      onConnect: async (ctx) => {
        const token = readConnectionParamsToken(ctx.connectionParams)
        wsGuard.opened(ctx, ctx.extra.socket, token ? await authenticateToken(db, token) : null)
      },
      onClose: (ctx) => wsGuard.closed(ctx),
      onSubscribe: async (ctx, _id, params) => {
        const refused = wsGuard.takeOperation(ctx)
        if (refused) return [refused]
        const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        })
        const document = parse(params.query)
        const errors = validate(s, document)
        if (errors.length) return errors
        const contextValue = await contextFactory()
        let release = () => {}
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const reserved = wsGuard.reserveSubscription(ctx)
          if (reserved instanceof GraphQLError) return [reserved]
          release = reserved
        }
        const args: ExecutionArgs = {
          schema: s,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe, release },
        }
        return args
      },
    },
    wsServer,
  )

  return {
    server,
    yoga,
    async start(): Promise<RunningApp> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.port, config.host, () => resolve())
      })
      const { port } = server.address() as AddressInfo
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
      const url = `http://${host}:${port}`
      return {
        url,
        port,
        stop: async () => {
          await wsDisposable.dispose()
          await renderPool.close()
          await health.close()
          for (const client of wsServer.clients) client.terminate()
          wsServer.close()
          server.closeAllConnections()
          await new Promise<void>((resolve) => server.close(() => resolve()))
        },
      }
    },
  }
}
