// The environment, read once at start, typed. Defaults make `npm start` work on a laptop; in
// production (NODE_ENV=production) the values that must not be guessed are required, by name.
import path from 'node:path'
import type { WsLimits } from './http/wsLimits.ts'

export type LogFormat = 'json' | 'pretty'

export interface Config {
  production: boolean
  databaseUrl: string | undefined
  host: string
  port: number
  /** The service's public address: exported Markdown links each notebook's dashboard page there. */
  publicUrl: string | undefined
  dataDir: string
  logLevel: string
  logFormat: LogFormat
  /** Comma-separated Fernet keys (first encrypts, all decrypt); undefined → generated into dataDir (dev only). */
  integrationMasterKey: string | undefined
  /** Secret for signed file URLs; undefined → generated into dataDir (dev only). */
  signingSecret: string | undefined
  serveWeb: boolean
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean
  /** Origins (scheme://host[:port]) other sites may call the API from, with credentials; empty: same origin only. */
  corsOrigins: string[]
  migrateOnStart: boolean
  workerConcurrency: number
  notionApiBaseUrl: string
  /** Notion requests per second per token, shared by every process (Notion allows an average of 3). */
  notionRequestsPerSecond: number
  /** Requests a quiet Notion token may send at once before the rate applies. */
  notionRequestBurst: number
  readwiseApiBaseUrl: string
  /** Readwise's documented limit per access token and minute (240), kept by the shared pacer. */
  readwiseRequestsPerMinute: number
  ocr: {
    provider: 'none' | 'openai'
    baseUrl: string
    apiKey: string | undefined
    model: string
    timeoutMs: number
    /** Width in pixels of the strokes-only PNG sent to the provider. */
    imageWidth: number
    quota: OcrQuotaSettings
  }
  /** Per API token: sustained requests per second and burst (HTTP 429 above it). */
  apiRateLimit: { perSecond: number; burst: number }
  /** graphql-ws: operations per connection (rate and burst), open subscriptions per token, and how long a connection without a valid token stays. */
  wsLimits: WsLimits
  uploadMaxBytes: number
  /** Base of the exponential backoff for retried jobs (OCR, sync). */
  retryBaseMs: number
  /** First probe of a target that stopped answering, after a sync gave up (then 2×, 4×… up to 30 min). */
  probeDelayMs: number
  /** Worker heartbeat period, and the silence after which a worker counts as dead (its jobs are unlocked). */
  workerHeartbeatMs: number
  workerDeadAfterMs: number
  fileStorage: FileStorageSettings
  /** Longest one SQL statement may run (every pool connection of the server and worker), in ms. */
  databaseStatementTimeoutMs: number
  http: {
    /** Longest time to receive a whole request (headers and body). */
    requestTimeoutMs: number
    /** Longest silence while receiving a request's headers or body. */
    idleTimeoutMs: number
  }
  render: RenderLimits
  /** What one user may store: pages (stubs included) and bytes of page files. */
  userLimits: UserLimits
}

/** Bounds on every page render (thumbnails, OCR input), and the threads that render. */
export interface RenderLimits {
  /** Most pixels of one rendered image: larger requests are scaled down to fit. */
  maxPixels: number
  /** Most height-to-width (or width-to-height) ratio: a longer page is cut to it. */
  maxAspect: number
  /** Worker threads rendering pages, per process. */
  threads: number
}

export interface UserLimits {
  maxPages: number
  maxStoredBytes: number
}

export type FileStorageKind = 'local' | 'postgres' | 's3'
export const FILE_STORAGE_KINDS: readonly FileStorageKind[] = ['local', 'postgres', 's3']

/** Where uploaded page files live (server/storage/makeFileStorage.ts builds the store from this). */
export interface FileStorageSettings {
  kind: FileStorageKind
  /** FILE_STORAGE=local, and files written before another kind was chosen (read until moved). */
  localDir: string
  /** Set when kind is s3. */
  s3: S3Settings | undefined
}

export interface S3Settings {
  /** undefined → AWS itself (from the region). */
  endpoint: string | undefined
  bucket: string
  region: string
  /** Both or neither; neither → the SDK's own chain (AWS_* variables, instance roles). */
  accessKeyId: string | undefined
  secretAccessKey: string | undefined
  forcePathStyle: boolean
}

/** Handwriting pages per user and period, by plan (users.plan); a plan not listed gets the `free` limit. */
export interface OcrQuotaSettings {
  plans: Record<string, number>
  periodDays: number
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function readString(env: Env, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

function readInt(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = readString(env, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `expected an integer between ${min} and ${max}, got "${raw}"`)
  return n
}

function readNumber(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(name, `expected a positive number, got "${raw}"`)
  return n
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `expected true or false, got "${raw}"`)
}

function readUrl(env: Env, name: string, fallback: string | undefined): string | undefined {
  const raw = readString(env, name) ?? fallback
  if (raw === undefined) return undefined
  try {
    const u = new URL(raw)
    if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error('protocol')
  } catch {
    // Never echo a URL: it may carry a password.
    throw new ConfigError(name, 'is not a valid URL')
  }
  return raw.replace(/\/+$/, '')
}

/** `https://a.example,https://b.example` → each as an origin (scheme://host[:port]); `*` is refused (never any origin with credentials). */
function readOrigins(env: Env, name: string): string[] {
  const raw = readString(env, name)
  if (!raw) return []
  return raw.split(',').map((part) => part.trim()).filter(Boolean).map((origin) => {
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw new ConfigError(name, `expected origins like https://app.example separated by commas, got "${origin}"`)
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin.replace(/\/+$/, '')) throw new ConfigError(name, `expected origins like https://app.example separated by commas, got "${origin}"`)
    return url.origin
  })
}

/** `free:30,pro:1000` → { free: 30, pro: 1000 }; `free` must be there (every new user is on it). */
function readPlans(env: Env, name: string, fallback: string): Record<string, number> {
  const raw = readString(env, name) ?? fallback
  const plans: Record<string, number> = {}
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const found = /^([a-z0-9_-]+)\s*:\s*(\d{1,9})$/i.exec(entry)
    if (!found) throw new ConfigError(name, `expected plan:pages pairs separated by commas (e.g. "free:30,pro:1000"), got "${entry}"`)
    plans[found[1].toLowerCase()] = Number(found[2])
  }
  if (plans.free === undefined) throw new ConfigError(name, 'must give the "free" plan a limit (new users are on it)')
  return plans
}

/** Reads the configuration from `env` (process.env by default). Throws ConfigError naming the variable. */
export function readConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const production = env.NODE_ENV === 'production'
  const ocrProvider = (readString(env, 'OCR_PROVIDER') ?? 'none').toLowerCase()
  if (ocrProvider !== 'none' && ocrProvider !== 'openai') throw new ConfigError('OCR_PROVIDER', `expected "none" or "openai", got "${ocrProvider}"`)
  const logFormat = (readString(env, 'LOG_FORMAT') ?? (production || !process.stdout.isTTY ? 'json' : 'pretty')) as LogFormat
  if (logFormat !== 'json' && logFormat !== 'pretty') throw new ConfigError('LOG_FORMAT', 'expected "json" or "pretty"')

  const databaseUrl = readUrl(env, 'DATABASE_URL', undefined)
  const dataDir = path.resolve(cwd, readString(env, 'RMIRROR_DATA_DIR') ?? '.data')
  const config: Config = {
    production,
    databaseUrl,
    host: readString(env, 'HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: readInt(env, 'PORT', 4000, 0, 65535),
    publicUrl: readUrl(env, 'PUBLIC_URL', undefined),
    dataDir,
    logLevel: readString(env, 'LOG_LEVEL') ?? 'info',
    logFormat,
    integrationMasterKey: readString(env, 'INTEGRATION_MASTER_KEY'),
    signingSecret: readString(env, 'SIGNING_SECRET'),
    serveWeb: readBool(env, 'SERVE_WEB', true),
    trustProxy: readBool(env, 'TRUST_PROXY', false),
    corsOrigins: readOrigins(env, 'CORS_ORIGINS'),
    migrateOnStart: readBool(env, 'MIGRATE_ON_START', true),
    workerConcurrency: readInt(env, 'WORKER_CONCURRENCY', 4, 1, 100),
    notionApiBaseUrl: readUrl(env, 'NOTION_API_BASE_URL', 'https://api.notion.com')!,
    notionRequestsPerSecond: readNumber(env, 'NOTION_REQUESTS_PER_SECOND', 3),
    notionRequestBurst: readInt(env, 'NOTION_REQUEST_BURST', 3, 1, 100),
    readwiseApiBaseUrl: readUrl(env, 'READWISE_API_BASE_URL', 'https://readwise.io')!,
    readwiseRequestsPerMinute: readInt(env, 'READWISE_REQUESTS_PER_MINUTE', 240, 2, 100_000),
    ocr: {
      provider: ocrProvider,
      baseUrl: readUrl(env, 'OCR_BASE_URL', 'https://api.openai.com/v1')!,
      apiKey: readString(env, 'OCR_API_KEY'),
      model: readString(env, 'OCR_MODEL') ?? 'gpt-4o-mini',
      timeoutMs: readInt(env, 'OCR_TIMEOUT_MS', 60_000, 1),
      // 768 px wide is what OpenAI's high-detail mode scales a page to anyway (768×1024, 4 tiles).
      imageWidth: readInt(env, 'OCR_IMAGE_WIDTH', 768, 16, 8000),
      quota: { plans: readPlans(env, 'OCR_QUOTA_PLANS', 'free:30,pro:1000'), periodDays: readInt(env, 'OCR_QUOTA_PERIOD_DAYS', 30, 1, 3660) },
    },
    apiRateLimit: { perSecond: readNumber(env, 'API_RATE_LIMIT_PER_SECOND', 20), burst: readInt(env, 'API_RATE_LIMIT_BURST', 100, 1) },
    wsLimits: {
      operationsPerSecond: readNumber(env, 'WS_OPERATIONS_PER_SECOND', 10),
      operationBurst: readInt(env, 'WS_OPERATION_BURST', 50, 1),
      subscriptionsPerToken: readInt(env, 'WS_SUBSCRIPTIONS_PER_TOKEN', 100, 1),
      unauthenticatedWindowMs: readInt(env, 'WS_UNAUTHENTICATED_WINDOW_MS', 10_000, 1),
    },
    uploadMaxBytes: readInt(env, 'UPLOAD_MAX_BYTES', 20 * 1024 * 1024, 1),
    retryBaseMs: readInt(env, 'RETRY_BASE_MS', 5_000, 1),
    probeDelayMs: readInt(env, 'PROBE_DELAY_MS', 5 * 60_000, 1),
    workerHeartbeatMs: readInt(env, 'WORKER_HEARTBEAT_MS', 5_000, 100),
    workerDeadAfterMs: readInt(env, 'WORKER_DEAD_AFTER_MS', 30_000, 500),
    fileStorage: readFileStorage(env, databaseUrl, dataDir),
    databaseStatementTimeoutMs: readInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 100),
    http: {
      requestTimeoutMs: readInt(env, 'HTTP_REQUEST_TIMEOUT_MS', 60_000, 100),
      idleTimeoutMs: readInt(env, 'HTTP_IDLE_TIMEOUT_MS', 10_000, 100),
    },
    render: {
      maxPixels: readInt(env, 'RENDER_MAX_PIXELS', 16_000_000, 10_000),
      maxAspect: readInt(env, 'RENDER_MAX_ASPECT', 8, 1, 1000),
      threads: readInt(env, 'RENDER_THREADS', 2, 1, 64),
    },
    userLimits: {
      maxPages: readInt(env, 'USER_MAX_PAGES', 100_000, 1),
      maxStoredBytes: readInt(env, 'USER_MAX_STORED_BYTES', 10 * 1024 ** 3, 1),
    },
  }
  if (production) assertProductionConfig(config)
  if (config.ocr.provider === 'openai' && !config.ocr.apiKey && production) throw new ConfigError('OCR_API_KEY', 'is required when OCR_PROVIDER=openai')
  return config
}

/**
 * FILE_STORAGE defaults to where the database is: with DATABASE_URL, PostgreSQL (every server and
 * worker on any machine reads the same files, and one backup holds everything); without it (`npm
 * start`'s embedded database, one machine by definition) the data directory's files/ folder.
 */
function readFileStorage(env: Env, databaseUrl: string | undefined, dataDir: string): FileStorageSettings {
  const kind = (readString(env, 'FILE_STORAGE')?.toLowerCase() ?? (databaseUrl ? 'postgres' : 'local')) as FileStorageKind
  if (!FILE_STORAGE_KINDS.includes(kind)) throw new ConfigError('FILE_STORAGE', `expected ${FILE_STORAGE_KINDS.join(', ')}, got "${kind}"`)
  return { kind, localDir: path.join(dataDir, 'files'), s3: kind === 's3' ? readS3(env) : undefined }
}

function readS3(env: Env): S3Settings {
  const bucket = readString(env, 'S3_BUCKET')
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when FILE_STORAGE=s3')
  const accessKeyId = readString(env, 'S3_ACCESS_KEY_ID')
  const secretAccessKey = readString(env, 'S3_SECRET_ACCESS_KEY')
  if (!accessKeyId !== !secretAccessKey) {
    throw new ConfigError(accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS default credential chain)')
  }
  return {
    endpoint: readUrl(env, 'S3_ENDPOINT', undefined),
    bucket,
    region: readString(env, 'S3_REGION') ?? 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: readBool(env, 'S3_FORCE_PATH_STYLE', false),
  }
}

function assertProductionConfig(config: Config): void {
  const required: [keyof Config, string][] = [
    ['databaseUrl', 'DATABASE_URL'],
    ['integrationMasterKey', 'INTEGRATION_MASTER_KEY'],
    ['signingSecret', 'SIGNING_SECRET'],
  ]
  for (const [key, name] of required) if (config[key] === undefined) throw new ConfigError(name, 'is required in production (NODE_ENV=production)')
}

/** The DATABASE_URL, or a ConfigError naming it: `npm run server` / `npm run worker` never embed a database. */
export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required (only `npm start` starts an embedded PostgreSQL)')
  return config.databaseUrl
}
