// Environment -> typed configuration. Outside production the embedded default needs no
// variable at all: secrets that are missing are generated once and kept under DATA_DIR.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const base64Key32 = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)',
  });

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
/** Milliseconds of a duration such as "250ms", "5s", "30m", "2h" or "5d". */
const durationMs = (v: string) => {
  const [, amount, unit] = DURATION.exec(v)!;
  return Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
};
const duration = z.string().regex(DURATION, 'must be a duration such as 250ms, 5s, 30m, 2h or 5d').transform(durationMs);

/** Every setting the service reads; the README's configuration table lists each (test/readme-config.test.ts). */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of every Redis key (queue, rate limits), so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores').default('send'),
    ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    MASTER_KEY: base64Key32.optional(),
    MASTER_KEY_VERSION: z.coerce.number().int().min(1).default(1),
    /** Earlier master keys still needed to unwrap old data keys: "1:<base64>,2:<base64>". */
    PREVIOUS_MASTER_KEYS: z
      .string()
      .regex(/^(\d+:[A-Za-z0-9+/]+={0,2})(,\d+:[A-Za-z0-9+/]+={0,2})*$/, 'must look like "1:<base64>,2:<base64>"')
      .optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256)').optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    /** Tokens whose expiry lies further ahead are refused: a leaked token must not be usable for long. */
    JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
    ALLOW_DEV_PLUGINS: z.enum(['true', 'false']).optional(),
    /** Let provider calls reach loopback, private and link-local addresses (providers inside the deployment's network). */
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).optional(),
    /** Bearer token GET /metrics asks for; without it /metrics is open outside production and off in production. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Browser origins allowed to call the API: "*" or a comma-separated list of origins. */
    CORS_ORIGINS: z
      .string()
      .regex(/^(\*|https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)$/, 'must be "*" or origins like "https://app.example.com,http://localhost:5173"')
      .optional(),
    DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
    DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    DISPATCH_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2_000),
    DISPATCH_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
    DISPATCH_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(10_000),
    SWEEP_STUCK_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    /** Let partner webhook endpoints use http and loopback, private or link-local addresses (development, tests). */
    WEBHOOK_ALLOW_INSECURE_URLS: z.enum(['true', 'false']).optional(),
    /** Delays between a delivery's attempts; as many retries as entries. */
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .regex(/^\d+(ms|s|m|h|d)(,\d+(ms|s|m|h|d)){0,29}$/, 'must be 1-30 comma-separated durations such as 5s,5m,30m,2h')
      .default('5s,5m,30m,2h,5h,10h,10h')
      .transform((v) => v.split(',').map(durationMs)),
    /** An endpoint whose deliveries have failed, without a success, for this long is disabled. */
    WEBHOOK_DISABLE_AFTER: duration.default(5 * 86_400_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
    ERASURE_RETRY_BASE_MS: z.coerce.number().int().min(1).max(86_400_000).default(30_000),
    EXPORT_LINK_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Events read ahead for one subscriber: its memory bound. */
    SUBSCRIPTION_BUFFER_EVENTS: z.coerce.number().int().min(1).max(100_000).default(1_000),
    /** A subscriber that takes nothing from its full buffer for this long is disconnected; it resumes from its cursor. */
    SUBSCRIPTION_STALL_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
    /** How often an open subscription re-checks its token (revoked key, expired JWT, changed role). */
    SUBSCRIPTION_RECHECK_MS: z.coerce.number().int().min(100).max(5_000).default(2_000),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(8 * 1024 * 1024),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(5_000),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(1_000).default(15),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
    GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(10_000).default(50),
    GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(100_000_000).default(50_000),
    GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
    GRAPHQL_FIELD_SUGGESTIONS: z.enum(['true', 'false']).optional(),
    /** GraphQL requests one API key (or one user) may make per minute; 0 turns the limit off. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
    RESPONSE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  })
  .superRefine((env, ctx) => {
    // Worker processes dispatch in scale-out mode; they cannot reach an embedded database.
    if (env.REDIS_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'needs DATABASE_URL too: with Redis, separate worker processes dispatch, and they cannot open the embedded database' });
    }
    // Callback URLs must not depend on which process dispatched: a worker has no port of its own.
    if (env.REDIS_URL && !env.PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required with REDIS_URL: worker processes hand providers callback URLs built from it, and must reach the API that serves them' });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['ADMIN_API_KEY', 'MASTER_KEY', 'DATABASE_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
    }
  });

export interface DispatchSettings {
  /** Sends one dispatching process works on at once. */
  concurrency: number;
  /** Attempts on one channel configuration before failing over. */
  maxAttemptsPerConfig: number;
  /** First retry delay; doubles per attempt, with jitter, up to maxRetryDelayMs. */
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** How long a SENDING claim lasts before another worker may take the send over. */
  leaseMs: number;
}

export interface SweepSettings {
  intervalMs: number;
  /** A QUEUED send untouched this long is presumed lost by the queue. */
  stuckAfterMs: number;
}

export interface PartnerWebhookSettings {
  /** http and non-public addresses allowed for endpoints: outside production, or when WEBHOOK_ALLOW_INSECURE_URLS=true. */
  allowInsecureUrls: boolean;
  /** Delay before each retry, in ms; a delivery fails for good after the last one. */
  retryScheduleMs: number[];
  /** A failing endpoint is disabled once it has failed without a success for this long. */
  disableAfterMs: number;
  /** Per attempt: connect, headers and body. */
  timeoutMs: number;
  /** Deliveries one dispatching process makes at once. */
  concurrency: number;
}

export interface RetentionSettings {
  /** How often every tenant's retention policy is applied. */
  intervalMs: number;
  /** Rows one statement erases or deletes; each batch is its own short transaction. */
  batchSize: number;
}

export interface SubscriptionSettings {
  /** Events read ahead per subscriber before it counts as fallen behind. */
  bufferEvents: number;
  /** A subscriber that takes nothing from its full buffer for this long has stalled. */
  stallMs: number;
  /** Interval of the token re-check of open subscriptions. */
  recheckMs: number;
}

/** What one GraphQL request may ask for; each error names the variable that sets the limit. */
export interface GraphqlLimits {
  maxBodyBytes: number;
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Cost with connection sizes (`first`) multiplied, as graphql-armor computes it. */
  maxCost: number;
  introspection: boolean;
  /** "Did you mean ..." in validation errors: they reveal field names to whoever probes. */
  fieldSuggestions: boolean;
  /** Requests per minute per API key or user; 0 is no limit. */
  ratePerMinute: number;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix: string;
  adminApiKey: string;
  /** Master keys by version; `masterKeyVersion` is the one that wraps new data keys. */
  masterKeys: Map<number, Buffer>;
  masterKeyVersion: number;
  logLevel: (typeof LOG_LEVELS)[number];
  jwt?: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string; maxLifetimeSeconds: number };
  allowDevPlugins: boolean;
  /** Provider calls may reach non-public addresses: outside production, or when OUTBOUND_ALLOW_PRIVATE_NETWORKS=true. */
  outboundAllowPrivateNetworks: boolean;
  /** GET /metrics: open, behind a bearer token, or off. */
  metrics: { token?: string; enabled: boolean };
  /** Browser origins allowed by CORS: any, these, or none (no CORS headers at all). */
  corsOrigins: '*' | string[];
  dispatch: DispatchSettings;
  sweep: SweepSettings;
  webhooks: PartnerWebhookSettings;
  /** Data subject requests: first retry of a failed provider erasure (doubling), and how long an export's download link lives. */
  privacy: { erasureRetryBaseMs: number; exportLinkTtlSeconds: number };
  retention: RetentionSettings;
  subscriptions: SubscriptionSettings;
  graphqlLimits: GraphqlLimits;
  /** Query answers served again to the same caller (src/http/response-cache.ts); ttlMs 0 is off. */
  responseCache: { ttlMs: number; maxEntries: number };
  /** On SIGTERM/SIGINT, how long in-flight requests and provider calls may take before the process stops anyway. */
  shutdownGraceMs: number;
  /** Secrets generated on this start (embedded default), to tell the operator once. */
  generated: { adminApiKey?: string; masterKey?: boolean };
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const generated: Config['generated'] = {};

  let adminApiKey = env.ADMIN_API_KEY;
  if (!adminApiKey) {
    const kept = readOrCreateSecret(dataDir, 'admin-api-key', () => `sk_admin_${randomBytes(24).toString('base64url')}`);
    adminApiKey = kept.value;
    if (kept.created) generated.adminApiKey = adminApiKey;
  }

  let masterKey = env.MASTER_KEY;
  if (!masterKey) {
    const kept = readOrCreateSecret(dataDir, 'master-key', () => randomBytes(32).toString('base64'));
    masterKey = kept.value;
    if (kept.created) generated.masterKey = true;
  }
  const masterKeys = new Map<number, Buffer>();
  for (const entry of env.PREVIOUS_MASTER_KEYS?.split(',') ?? []) {
    const [version, key] = entry.split(':') as [string, string];
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length !== 32) throw new ConfigError(`Invalid configuration: PREVIOUS_MASTER_KEYS version ${version} is not 32 bytes`);
    masterKeys.set(Number(version), bytes);
  }
  masterKeys.set(env.MASTER_KEY_VERSION, Buffer.from(masterKey, 'base64'));

  const jwt =
    env.JWT_SECRET || env.JWT_JWKS_URL
      ? { secret: env.JWT_SECRET, jwksUrl: env.JWT_JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS }
      : undefined;

  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    adminApiKey,
    masterKeys,
    masterKeyVersion: env.MASTER_KEY_VERSION,
    logLevel: env.LOG_LEVEL,
    jwt,
    allowDevPlugins: env.ALLOW_DEV_PLUGINS ? env.ALLOW_DEV_PLUGINS === 'true' : env.NODE_ENV !== 'production',
    outboundAllowPrivateNetworks: env.OUTBOUND_ALLOW_PRIVATE_NETWORKS ? env.OUTBOUND_ALLOW_PRIVATE_NETWORKS === 'true' : env.NODE_ENV !== 'production',
    metrics: { token: env.METRICS_TOKEN, enabled: Boolean(env.METRICS_TOKEN) || env.NODE_ENV !== 'production' },
    corsOrigins: env.CORS_ORIGINS === '*' ? '*' : (env.CORS_ORIGINS?.split(',') ?? (env.NODE_ENV === 'production' ? [] : '*')),
    dispatch: {
      concurrency: env.DISPATCH_CONCURRENCY,
      maxAttemptsPerConfig: env.DISPATCH_MAX_ATTEMPTS,
      retryBaseMs: env.DISPATCH_RETRY_BASE_MS,
      maxRetryDelayMs: env.DISPATCH_MAX_RETRY_DELAY_MS,
      leaseMs: env.DISPATCH_LEASE_MS,
    },
    sweep: { intervalMs: env.SWEEP_INTERVAL_MS, stuckAfterMs: env.SWEEP_STUCK_AFTER_MS },
    webhooks: {
      allowInsecureUrls: env.WEBHOOK_ALLOW_INSECURE_URLS ? env.WEBHOOK_ALLOW_INSECURE_URLS === 'true' : env.NODE_ENV !== 'production',
      retryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE,
      disableAfterMs: env.WEBHOOK_DISABLE_AFTER,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
    },
    privacy: { erasureRetryBaseMs: env.ERASURE_RETRY_BASE_MS, exportLinkTtlSeconds: env.EXPORT_LINK_TTL_SECONDS },
    retention: { intervalMs: env.RETENTION_SWEEP_INTERVAL_MS, batchSize: env.RETENTION_BATCH_SIZE },
    subscriptions: { bufferEvents: env.SUBSCRIPTION_BUFFER_EVENTS, stallMs: env.SUBSCRIPTION_STALL_MS, recheckMs: env.SUBSCRIPTION_RECHECK_MS },
    graphqlLimits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxCost: env.GRAPHQL_MAX_COST,
      introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === 'true' : env.NODE_ENV !== 'production',
      fieldSuggestions: env.GRAPHQL_FIELD_SUGGESTIONS ? env.GRAPHQL_FIELD_SUGGESTIONS === 'true' : env.NODE_ENV !== 'production',
      ratePerMinute: env.API_RATE_LIMIT_PER_MINUTE ?? (env.NODE_ENV === 'production' ? 1_200 : 0),
    },
    responseCache: { ttlMs: env.RESPONSE_CACHE_MS, maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    generated,
  };
}

function readOrCreateSecret(dataDir: string, name: string, create: () => string): { value: string; created: boolean } {
  const file = join(dataDir, name);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  mkdirSync(dataDir, { recursive: true });
  const value = create();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}
