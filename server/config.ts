// The only module that reads the environment. It validates every setting at start-up and stops with one
// message listing every bad variable, so an operator fixes them all in one go.
import { existsSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { z } from 'zod'

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'Use true or false.' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

// Which X-Forwarded-For hops to believe: a hop count, or the proxies' own addresses (IPs, CIDR ranges, or
// proxy-addr's names loopback / linklocal / uniquelocal). Never "any hop", which lets a client pick its address.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const isProxyAddress = (entry: string) => {
  if (PROXY_NAMES.has(entry)) return true
  const [address = '', bits, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
}
const trustProxyFromEnv = z
  .string()
  .trim()
  .transform((value, context): false | number | string[] => {
    if (value === 'false' || value === '0') return false
    if (/^\d{1,2}$/.test(value)) return Number(value)
    const entries = value.split(',').map((entry) => entry.trim())
    if (entries.every(isProxyAddress)) return entries
    context.addIssue({
      code: 'custom',
      message:
        'Use the number of proxies in front of the server (e.g. 1), or their addresses (e.g. 10.0.0.5,10.1.0.0/16), or false. ' +
        '"true" is not accepted: it would believe every X-Forwarded-For hop a client sends.',
    })
    return z.NEVER
  })

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ message: 'Use an absolute http(s) URL, e.g. https://crm.example.com.' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'Use a postgres:// or postgresql:// URL.')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  TRUST_PROXY: trustProxyFromEnv.default(false),
  METRICS_TOKEN: z.string().min(16, 'Use at least 16 random characters.').max(512).optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
  BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(20_000),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(10_080).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  CRM_KEY_FILE: z.string().min(1).optional(),
  CRM_ENCRYPTION_KEY: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/,
      'Use 32 random bytes, base64 (44 chars) or hex (64 chars).',
    )
    .optional(),
  CRM_NEW_ENCRYPTION_KEY: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/,
      'Use 32 random bytes, base64 (44 chars) or hex (64 chars).',
    )
    .optional(),
  CRM_ALLOWED_HOSTS: z
    .string()
    .regex(/^[\w.*:\-[\]]+(,[\w.*:\-[\]]+)*$/, 'Use a comma-separated list of host or host:port entries.')
    .optional(),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'Use a Salesforce API version such as 62.0.')
    .default('62.0'),
  CRM_HTTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  // Salesforce's Pub/Sub API endpoint (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/qs-java-parameters.html).
  CRM_PUBSUB_ENDPOINT: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'Use host:port, e.g. api.pubsub.salesforce.com:7443.')
    .default('api.pubsub.salesforce.com:7443'),
  CRM_PUBSUB_CA_FILE: z
    .string()
    .refine((path) => existsSync(path), 'No such file (a PEM certificate to trust for the Pub/Sub endpoint).')
    .optional(),
  CRM_PUBSUB_IDLE_TIMEOUT_MS: z.coerce.number().int().min(200).max(3_600_000).default(300_000),
  CDC_HEALTHY_SYNC_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  CRM_SYNC_STALL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  READ_CACHE: booleanFromEnv.default(true),
  READ_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(64),
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(50),
  FEED_MAX_FILE_MB: z.coerce.number().int().min(1).max(100).default(10),
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  FEED_ORPHAN_FILE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'Use an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587.')
    .optional(),
  MAIL_FROM: z.string().min(3).default('CRM <crm@localhost>'),
  DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
})

export type Env = Record<string, string | undefined>

export interface Config {
  readonly environment: 'development' | 'production' | 'test'
  readonly http: {
    readonly host: string
    readonly port: number
    /** Base URL used in links the server hands out (setup and password-reset links). */
    readonly publicUrl: string
    /** X-Forwarded-* hops to believe: none, a count of proxies, or the proxies' addresses. */
    readonly trustProxy: false | number | readonly string[]
    readonly bodyLimitBytes: number
    /** A request body that sends nothing for this long is answered 408 and its connection closed. */
    readonly bodyIdleTimeoutMs: number
    /** Bearer token a Prometheus scraper must send for /metrics; without one only loopback may read it. */
    readonly metricsToken: string | undefined
  }
  readonly storage:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number; readonly dataDir: string }
  /** JSON lines for log collectors; 'pretty' (the default on a terminal) for people. */
  readonly log: { readonly level: string; readonly format: 'json' | 'pretty' }
  readonly sessions: { readonly idleMinutes: number; readonly absoluteHours: number }
  /**
   * In-process cache of sessions and of the portal's list responses, flushed by database change
   * notifications (server/cache/read-cache.ts). `maxBytes` bounds the cached responses.
   */
  readonly readCache: { readonly enabled: boolean; readonly maxBytes: number }
  readonly crm: {
    /** The master key for secrets at rest; undefined means a key file in the data folder (embedded mode). */
    readonly encryptionKey: Buffer | undefined
    /** The embedded master key (no CRM_ENCRYPTION_KEY): outside DATA_DIR, so a copy of the data is not enough. */
    readonly keyFile: string
    /** Where earlier versions kept it (DATA_DIR/crm-master.key); moved to keyFile on start. */
    readonly legacyKeyFile: string
    /** Only read by `npm run crm:rotate-key` when CRM_ENCRYPTION_KEY is used. */
    readonly newEncryptionKey: Buffer | undefined
    /**
     * Hosts the connector may call besides Salesforce's own (host or host:port, `*` as port wildcard), over
     * http or https. Meant for the local emulator (127.0.0.1:8787); never needed for a real org.
     */
    readonly allowedHosts: readonly string[]
    readonly apiVersion: string
    readonly httpTimeoutMs: number
    /** Change Data Capture over the Pub/Sub API. */
    readonly pubSub: {
      /** host:port of the gRPC endpoint. */
      readonly address: string
      /** PEM roots to trust instead of the system's (the local emulator's certificate); undefined: system roots. */
      readonly caPem: string | undefined
      /** Silence (not even a keepalive) after which the stream is reopened. Salesforce keeps alive within 270 s. */
      readonly idleTimeoutMs: number
      /** Scheduled syncs run this often (minutes) while the change stream is healthy. */
      readonly healthySyncMinutes: number
    }
    /**
     * A run with no committed page and no answer from Salesforce for this long is ended as stalled (its
     * checkpoint kept). Longer than the slowest legitimate page: a call's deadline times its retries.
     */
    readonly syncStallMs: number
  }
  /**
   * How far V8 lets the JavaScript heap grow past what the last full collection kept, in percent (0: V8's own
   * policy, which lets it grow up to 4x). See server/heap-policy.ts.
   */
  readonly heapGrowthPercent: number
  /** The opportunity feed (issue 15): the largest file a post may carry. */
  readonly feed: {
    readonly maxFileBytes: number
    /** Files uploaded but never attached to a post are removed after this many hours. */
    readonly orphanFileHours: number
  }
  /** The browser's live event stream (crm/live/): a comment line this often keeps proxies from closing it. */
  readonly live: { readonly heartbeatMs: number }
  /** Notification email; `smtpUrl` undefined means email is off (in-app only). */
  readonly mail: {
    readonly smtpUrl: string | undefined
    readonly from: string
    /** The hour (UTC) at which daily digests go out. */
    readonly digestHourUtc: number
  }
  /** Where the built web UI lives (dist/web). */
  readonly webRoot: string
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Parses and validates the environment. Throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(emptyToUndefined(env))
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration. Fix these environment variables:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  // 'memory://' keeps the whole database in memory (tests, throwaway demos); anything else is a folder.
  const dataDir = e.DATA_DIR === 'memory://' ? e.DATA_DIR : resolve(e.DATA_DIR)
  const keyFile = masterKeyFile(dataDir, e.CRM_KEY_FILE)
  return deepFreeze({
    environment: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      trustProxy: e.TRUST_PROXY,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      bodyIdleTimeoutMs: e.BODY_IDLE_TIMEOUT_MS,
      metricsToken: e.METRICS_TOKEN,
    },
    storage: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, dataDir }
      : { kind: 'pglite', dataDir },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json') },
    sessions: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    readCache: { enabled: e.READ_CACHE, maxBytes: e.READ_CACHE_MB * 1024 * 1024 },
    crm: {
      encryptionKey: e.CRM_ENCRYPTION_KEY ? decodeKey(e.CRM_ENCRYPTION_KEY) : undefined,
      keyFile,
      legacyKeyFile: join(dataDir, 'crm-master.key'),
      newEncryptionKey: e.CRM_NEW_ENCRYPTION_KEY ? decodeKey(e.CRM_NEW_ENCRYPTION_KEY) : undefined,
      allowedHosts: (e.CRM_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      apiVersion: e.SALESFORCE_API_VERSION,
      httpTimeoutMs: e.CRM_HTTP_TIMEOUT_MS,
      pubSub: {
        address: e.CRM_PUBSUB_ENDPOINT,
        caPem: e.CRM_PUBSUB_CA_FILE ? readFileSync(e.CRM_PUBSUB_CA_FILE, 'utf8') : undefined,
        idleTimeoutMs: e.CRM_PUBSUB_IDLE_TIMEOUT_MS,
        healthySyncMinutes: e.CDC_HEALTHY_SYNC_MINUTES,
      },
      syncStallMs: e.CRM_SYNC_STALL_MS,
    },
    heapGrowthPercent: e.HEAP_GROWTH_PERCENT,
    feed: { maxFileBytes: e.FEED_MAX_FILE_MB * 1024 * 1024, orphanFileHours: e.FEED_ORPHAN_FILE_HOURS },
    live: { heartbeatMs: e.LIVE_HEARTBEAT_SECONDS * 1000 },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, digestHourUtc: e.DIGEST_HOUR_UTC },
    webRoot: join(findProjectRoot(), 'dist', 'web'),
  })
}

// Shells and .env files often leave a variable set but empty; treat that as unset so defaults apply.
function emptyToUndefined(env: Env): Env {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  )
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    // Typed arrays (the key Buffer) cannot be frozen; they are never handed out for writing.
    if (child && typeof child === 'object' && !ArrayBuffer.isView(child)) deepFreeze(child as object)
  }
  return Object.freeze(value)
}

// Works both from source (server/config.ts) and compiled (dist/server/config.js).
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

function decodeKey(text: string): Buffer {
  return text.length === 64 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
}

/**
 * The key file: CRM_KEY_FILE, or by default `<DATA_DIR>-keys/crm-master.key` beside (never inside) the data
 * folder, so the folder people back up, copy or hand over does not carry the key that opens its secrets.
 */
function masterKeyFile(dataDir: string, configured: string | undefined): string {
  if (dataDir === 'memory://') return configured ? resolve(configured) : ''
  const keyFile = configured
    ? resolve(configured)
    : join(dirname(dataDir), `${basename(dataDir)}-keys`, 'crm-master.key')
  const inside = relative(dataDir, keyFile)
  if (!inside.startsWith('..') && !inside.startsWith('/')) {
    throw new ConfigError(
      `Invalid configuration. CRM_KEY_FILE (${keyFile}) is inside DATA_DIR: keep the key outside the data folder, so a copy of the data cannot decrypt its secrets.`,
    )
  }
  return keyFile
}
