// The server's one LISTEN connection: hears the ids announced by any process, reads each row once
// (batched), and hands it to the subscribers of its topic (subscriberRegistry.ts). After the connection
// is lost and made again, notices sent meanwhile are gone: every open subscription's token is checked
// again, so one revoked during the gap ends too. A sync record's
// change is published as a change of its item and of its notebook too, so a subscriber to pages,
// todos, highlights or notebooks sees their sync status move without subscribing to sync records.
import pg from 'pg'
import type { Db } from '../db.ts'
import type { Logger } from '../logger.ts'
import { EVENTS_CHANNEL, type AppEvent, type RowEventKind } from './appEvent.ts'
import type { Notebook, SyncRecord } from '../generated/prisma/client.ts'
import { API_TARGET_NAMES } from '../targets.ts'
import { MISSED_EVENTS_MARGIN_MS, readMissedEvents } from './missedEvents.ts'
import { readLiveTokens } from '../auth/liveTokens.ts'
import { SubscriberRegistry, type SubscriberToken } from './subscriberRegistry.ts'
import { ViewerCache } from '../auth/viewerCache.ts'

export type EventTopic = `user:${number}:${RowEventKind}`

export interface EventHub {
  /** The rows of one kind announced for a user, those `accept` takes, until the token is revoked or expires. */
  subscribe<T>(userId: number, kind: RowEventKind, token: SubscriberToken, accept: (row: T) => boolean): AsyncIterableIterator<T>
  /** Subscriptions open. */
  readonly size: number
  /** Viewers of tokens seen lately, forgotten when a revocation is heard: what subscriptions authenticate with. */
  viewers: ViewerCache
  /** Resolves once LISTEN is active (tests wait for it). */
  ready: Promise<void>
  stop(): Promise<void>
}

const topicFor = (userId: number, kind: RowEventKind): EventTopic => `user:${userId}:${kind}`

const FLUSH_AFTER_MS = 15
const PUBLISH_SLICE = 200
/** How often the listening connection notes PostgreSQL's time (the point a replay after a loss starts from). */
const KEEPALIVE_MS = 5_000

async function readRows(db: Db, kind: RowEventKind, ids: number[]): Promise<{ id: number; userId: number }[]> {
  const where = { id: { in: ids } }
  switch (kind) {
    case 'page':
      return db.page.findMany({ where })
    case 'todo':
      return db.todo.findMany({ where })
    case 'highlight':
      return db.highlight.findMany({ where })
    case 'notebook':
    case 'markdown':
      return db.notebook.findMany({ where })
    case 'tombstone':
      return db.notebookTombstone.findMany({ where })
    case 'sync_record':
      return readSyncRecords(db, ids)
  }
}

/** Records of the targets the API names (the others cannot be shown to a subscriber). */
function readSyncRecords(db: Db, ids: number[]): Promise<SyncRecord[]> {
  return db.syncRecord.findMany({ where: { id: { in: ids }, targetName: { in: [...API_TARGET_NAMES] } } })
}

function addId<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(value)
}

const KIND_OF_ITEM: Record<string, RowEventKind> = { page_text: 'page', todo: 'todo', highlight: 'highlight', notebook_metadata: 'notebook' }

/** What changed with these records: each one's item (ids, read with the rest), and the notebook it belongs to (read here). */
async function findItemsOfRecords(db: Db, records: SyncRecord[]): Promise<{ items: Map<RowEventKind, Set<number>>; notebooks: Notebook[] }> {
  const items = new Map<RowEventKind, Set<number>>()
  const notebooksByUser = new Map<number, Set<string>>()
  for (const r of records) {
    const kind = KIND_OF_ITEM[r.itemType]
    const id = Number(r.itemId)
    if (kind && Number.isSafeInteger(id)) addId(items, kind, id)
    if (r.itemType !== 'notebook_metadata' && r.notebookUuid) addId(notebooksByUser, r.userId, r.notebookUuid)
  }
  const notebooks = notebooksByUser.size
    ? await db.notebook.findMany({ where: { OR: [...notebooksByUser].map(([userId, uuids]) => ({ userId, uuid: { in: [...uuids] } })) } })
    : []
  return { items, notebooks }
}

export function startEventHub(databaseUrl: string, db: Db, logger: Logger): EventHub {
  const registry = new SubscriberRegistry()
  const viewers = new ViewerCache(db)
  const pending = new Map<RowEventKind, Set<number>>()
  let timer: NodeJS.Timeout | undefined
  let client: pg.Client | undefined
  let stopped = false
  let markReady: () => void = () => {}
  const ready = new Promise<void>((r) => (markReady = r))

  const flushing = new Set<Promise<void>>()
  const flush = async () => {
    timer = undefined
    const batch = new Map([...pending.entries()].map(([kind, ids]) => [kind, new Set(ids)]))
    pending.clear()
    // Sync records first: a change of one is also a change of its item and of its notebook, which
    // are then read with the rest (each row once, however many reasons it has to be published).
    const recordIds = batch.get('sync_record')
    batch.delete('sync_record')
    if (recordIds) {
      try {
        const records = await readSyncRecords(db, [...recordIds])
        // A large batch (a catch-up, a replay after a reconnect) in slices, so the event loop and
        // subscribers' queues get a turn between them.
        for (const [i, row] of records.entries()) {
          registry.publish(topicFor(row.userId, 'sync_record'), row)
          if ((i + 1) % PUBLISH_SLICE === 0) await new Promise((r) => setImmediate(r))
        }
        const { items, notebooks } = await findItemsOfRecords(db, records)
        for (const [kind, ids] of items) for (const id of ids) addId(batch, kind, id)
        // The notebooks are read already: published now, not read again with the rest.
        for (const row of notebooks) {
          batch.get('notebook')?.delete(row.id)
          registry.publish(topicFor(row.userId, 'notebook'), row)
        }
      } catch (err) {
        logger.error({ err, kind: 'sync_record' }, 'could not read announced rows')
      }
    }
    for (const [kind, ids] of batch) {
      if (ids.size === 0) continue
      try {
        let published = 0
        for (const row of await readRows(db, kind, [...ids])) {
          registry.publish(topicFor(row.userId, kind), row)
          if (++published % PUBLISH_SLICE === 0) await new Promise((r) => setImmediate(r))
        }
      } catch (err) {
        logger.error({ err, kind }, 'could not read announced rows')
      }
    }
  }

  const onNotification = (msg: pg.Notification) => {
    let events: AppEvent[]
    try {
      events = JSON.parse(msg.payload ?? '[]')
    } catch {
      return
    }
    for (const e of events) {
      if (e.kind === 'token_revoked') {
        viewers.forget(e.tokenHash)
        registry.endToken(e.tokenHash)
      }
      else {
        if (!pending.has(e.kind)) pending.set(e.kind, new Set())
        pending.get(e.kind)!.add(e.id)
      }
    }
    scheduleFlush()
  }
  const scheduleFlush = () => {
    timer ??= setTimeout(() => {
      const run = flush()
      flushing.add(run)
      void run.finally(() => flushing.delete(run))
    }, FLUSH_AFTER_MS)
  }

  // The last moment (PostgreSQL's clock) this process was known to be listening: after a reconnect,
  // what changed since (less a margin) is read again, since NOTIFYs sent meanwhile reached nobody.
  let lastListening: Date | undefined
  const markListening = async (c: pg.Client) => {
    const { rows } = await c.query<{ now: Date }>('select now() as now')
    lastListening = rows[0].now
  }
  const keepAlive = setInterval(() => {
    if (client) void markListening(client).catch(() => {}) // a lost connection reports itself through 'error'
  }, KEEPALIVE_MS)
  keepAlive.unref()
  const replayMissed = async (since: Date, attempt = 0): Promise<void> => {
    if (stopped) return
    try {
      const missed = await readMissedEvents(db, since)
      for (const [kind, ids] of missed.rows) for (const id of ids) addId(pending, kind, id)
      for (const hash of missed.revokedTokenHashes) {
        viewers.forget(hash)
        registry.endToken(hash)
      }
      logger.info({ since, rows: [...missed.rows.values()].reduce((n, ids) => n + ids.size, 0) }, 'event listener reconnected; re-announced what may have been missed')
      if (missed.rows.size) scheduleFlush()
    } catch (err) {
      const delay = Math.min(10_000, 250 * 2 ** attempt)
      logger.warn({ err, delay }, 'event listener could not read what it may have missed; retrying')
      setTimeout(() => void replayMissed(since, attempt + 1), delay).unref()
    }
  }
  /** Ends the subscriptions of tokens no longer valid: after a reconnect, a revocation notice may be lost. */
  const recheckTokens = async () => {
    const hashes = registry.tokenHashes()
    if (hashes.length === 0) return
    try {
      const ended = registry.keepOnly(hashes, await readLiveTokens(db, hashes))
      if (ended) logger.info({ ended }, 'ended subscriptions of tokens revoked while the event listener was reconnecting')
    } catch (err) {
      logger.error({ err }, 'could not check the tokens of open subscriptions')
    }
  }
  let connectedBefore = false

  const connect = async (attempt = 0): Promise<void> => {
    if (stopped) return
    const c = new pg.Client({ connectionString: databaseUrl })
    c.on('notification', onNotification)
    c.on('error', (err) => {
      logger.warn({ err }, 'event listener connection lost; reconnecting')
      c.removeAllListeners('notification')
      void c.end().catch(() => {})
      if (client === c) client = undefined
      setTimeout(() => void connect(0), 500).unref()
    })
    try {
      await c.connect()
      await c.query(`listen ${EVENTS_CHANNEL}`)
      // Stopped while connecting: this connection is nobody's to close but ours.
      if (stopped) return void (await c.end().catch(() => {}))
      const previous = lastListening
      await markListening(c)
      client = c
      markReady()
      if (connectedBefore) {
        viewers.clear()
        await recheckTokens()
      }
      connectedBefore = true
      if (previous) void replayMissed(new Date(previous.getTime() - MISSED_EVENTS_MARGIN_MS))
    } catch (err) {
      await c.end().catch(() => {})
      const delay = Math.min(10_000, 250 * 2 ** attempt)
      logger.warn({ err, delay }, 'event listener could not connect; retrying')
      setTimeout(() => void connect(attempt + 1), delay).unref()
    }
  }
  void connect()

  return {
    subscribe: (userId, kind, token, accept) => registry.subscribe(topicFor(userId, kind), token, accept),
    get size() {
      return registry.size
    },
    viewers,
    ready,
    async stop() {
      stopped = true
      clearInterval(keepAlive)
      registry.endAll()
      if (timer) clearTimeout(timer)
      // Batches being read finish first: their rows come from the caller's database client.
      await Promise.all(flushing)
      await client?.end().catch(() => {})
    },
  }
}
