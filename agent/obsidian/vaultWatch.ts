// `agent obsidian VAULT --watch`: follows the markdownChanged subscription (graphql-ws) — no polling.
// Each time the socket (re)connects a full pass runs, catching up on whatever happened while it was
// down; between passes each announced notebook is fetched and written as soon as it is named.
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { isAuthError, type ApiError } from '../api.ts'
import type { MarkdownChangedSubscription } from '../gql/graphql.ts'
import { MARKDOWN_CHANGED } from './operations.ts'
import { openVault, type VaultOptions, type VaultSummary } from './vaultSync.ts'

export interface VaultWatchOptions extends VaultOptions {
  /** After each full pass ('pass') and each notebook written from an event ('change'). */
  onSummary?: (summary: VaultSummary, reason: 'pass' | 'change') => void
  /** A pass that failed for a reason that may go away (network, server) is tried again after this (default 30 s). */
  retryDelayMs?: number
}

export interface VaultWatchHandle {
  /** Resolves after the first full pass (tests and benchmarks wait for it). */
  readonly ready: Promise<void>
  stop(): Promise<void>
  /** Settles when watching ends: null after stop(), the error when it stopped by itself (token refused, state locked…). */
  readonly done: Promise<ApiError | null>
}

const FATAL_CODES = new Set(['OTHER_ACCOUNT', 'VAULT_NOT_FOUND', 'BAD_FOLDER', 'BAD_ARCHIVE', 'STATE_INSIDE_FOLDER', 'STATE_LOCKED', 'STATE_UNREADABLE'])

export function startVaultWatch(options: VaultWatchOptions): VaultWatchHandle {
  const log = options.log ?? (() => {})
  let finish: (value: ApiError | null) => void = () => {}
  const done = new Promise<ApiError | null>((resolve) => (finish = resolve))
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  let stopped = false
  let client: Client | null = null
  let unsubscribe: (() => void) | null = null
  let retryTimer: NodeJS.Timeout | null = null
  let closeSession: () => Promise<void> = async () => {}

  const shutDown = async (reason: ApiError | null) => {
    if (stopped) return
    stopped = true
    if (retryTimer) clearTimeout(retryTimer)
    unsubscribe?.()
    await client?.dispose()
    await closeSession()
    if (reason) log(`stopped watching: ${reason.code}: ${reason.message}`)
    markReady()
    finish(reason)
  }

  void (async () => {
    const opened = await openVault(options)
    if (!opened.ok) return void shutDown(opened.error)
    const { session } = opened
    closeSession = () => session.close()
    for (const warning of opened.warnings) log(warning)

    const handle = (summary: VaultSummary, reason: 'pass' | 'change') => {
      if (stopped) return
      options.onSummary?.(summary, reason)
      if (summary.aborted && (isAuthError(summary.aborted) || FATAL_CODES.has(summary.aborted.code))) return void shutDown(summary.aborted)
      if (summary.aborted && !retryTimer) retryTimer = setTimeout(() => ((retryTimer = null), void pass()), options.retryDelayMs ?? 30_000)
    }
    const pass = async () => {
      if (stopped) return
      handle(await session.syncAll(), 'pass')
      markReady()
    }

    client = createClient({
      url: `${options.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${options.token}` },
      lazy: false,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => !stopped,
      retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(retries, 5)))),
      // Every (re)connection: catch up with a full pass. Events that arrive meanwhile wait their turn.
      on: { connected: () => void pass(), closed: () => void (!stopped && log('connection to the server lost; reconnecting')) },
    })
    unsubscribe = client.subscribe<MarkdownChangedSubscription>(
      { query: MARKDOWN_CHANGED },
      {
        next: (message) => {
          const change = message.data?.markdownChanged
          if (!change) return
          const notebook = change.notebook
          const remote = notebook ? { id: notebook.id, uuid: notebook.uuid, version: notebook.markdownVersion, path: notebook.markdownPath } : null
          void session.syncNotebook(change.notebookUuid, remote).then((summary) => handle(summary, 'change'))
        },
        error: (err) => {
          // GraphQL errors (token refused, scope missing) end watching; a lost connection is retried by the client.
          const first = Array.isArray(err) ? (err[0] as { message?: string; extensions?: { code?: string } }) : undefined
          if (first) void shutDown({ code: first.extensions?.code ?? 'GRAPHQL_ERROR', message: first.message ?? 'subscription refused' })
          else if (!stopped) log(`subscription failed: ${(err as Error)?.message ?? String(err)}`)
        },
        // The server ends the feed only when the token is revoked (or on shutdown, after which reconnecting fails the same way).
        complete: () => void (!stopped && shutDown({ code: 'SUBSCRIPTION_ENDED', message: 'the server ended the live feed (was the token revoked?)' })),
      },
    )
  })()

  return { ready, done, stop: () => shutDown(null) }
}
