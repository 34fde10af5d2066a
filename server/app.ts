// buildApp: one HTTP server carrying GraphQL (yoga: POST/GET, GraphiQL, SSE), graphql-ws on the same
// path, /healthz, and the built dashboard. `index.ts` only runs it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createYoga } from 'graphql-yoga'
import { WebSocketServer } from 'ws'
import { useServer } from 'graphql-ws/use/ws'
import type { ExecutionArgs } from 'graphql'
import { schema } from './schema/index.ts'
import { makeContextFactory, type InitialContext } from './context.ts'
import type { AppServices } from './services.ts'
import { answerHealthz } from './http/healthz.ts'
import { makeStaticHandler } from './http/staticFiles.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const VERSION = process.env.npm_package_version ?? '0.1.0'

export interface RunningApp {
  url: string
  port: number
  stop(): Promise<void>
}

export function buildApp(services: AppServices) {
  const { config, logger, db } = services
  const makeContext = makeContextFactory(services)
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }>({
    schema,
    graphqlEndpoint: '/graphql',
    context: (init) => makeContext(init as InitialContext),
    graphiql: { title: 'rmirror-cloud GraphQL', subscriptionsProtocol: 'WS' },
    landingPage: false,
    logging: false,
    maskedErrors: {
      maskError(error, message) {
        // Unexpected errors reach the client as a generic message; the log keeps the context.
        const original = (error as any)?.originalError ?? error
        if ((error as any)?.extensions?.code || original?.extensions?.code) return error as Error
        logger.error({ err: original }, 'unexpected error in a GraphQL operation')
        return new Error(message)
      },
    },
  })

  const serveStatic = config.serveWeb ? makeStaticHandler(path.join(root, 'web', 'dist')) : undefined

  const server = createServer(async (req, res) => {
    const started = Date.now()
    const url = req.url ?? '/'
    try {
      if (url === '/healthz' || url.startsWith('/healthz?')) return await answerHealthz(db, res, VERSION)
      if (url === '/graphql' || url.startsWith('/graphql?') || url.startsWith('/graphql/')) return await yoga.handle(req, res, { req, res })
      if (serveStatic?.(req, res)) return
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'not found' }))
    } catch (err) {
      logger.error({ err, url: url.split('?')[0] }, 'request failed')
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'internal error' }))
    } finally {
      res.once('finish', () => logger.debug({ method: req.method, path: url.split('?')[0], status: res.statusCode, ms: Date.now() - started }, 'http'))
    }
  })

  const wsServer = new WebSocketServer({ server, path: '/graphql' })
  const wsDisposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        })
        const args: ExecutionArgs = {
          schema: s,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        }
        const errors = validate(args.schema, args.document)
        if (errors.length) return errors
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
          for (const client of wsServer.clients) client.terminate()
          wsServer.close()
          server.closeAllConnections()
          await new Promise<void>((resolve) => server.close(() => resolve()))
        },
      }
    },
  }
}
