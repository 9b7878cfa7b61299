// The service's parts, wired once: configuration, database, keys, logger, audit buffer,
// authenticator. `serve`, `worker` and the tests all start from createApp.
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { Redis } from 'ioredis';
import { Authenticator } from './auth/authenticate.ts';
import type { OutboundPolicy } from './channels/contract.ts';
import { createOutboundPolicy } from './channels/kit/outbound.ts';
import { openChannelById, tenantChannels, type TenantChannels } from './channels/open-channels.ts';
import { createPluginRegistry, type PluginRegistry } from './channels/registry.ts';
import { WebhookIntake } from './channels/webhooks.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database, type PrismaClient } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createInProcessEventBus, createRedisEventBus, type EventBus } from './events/bus.ts';
import { sharedEventReader, type EventReader } from './events/log.ts';
import { createLogger, errorFields, throttled, type Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { ReadAudit } from './privacy/audit.ts';
import { KeyRing } from './privacy/crypto.ts';
import { processDataSubjectRequest, sweepDataSubjectRequests, type DataSubjectRequestDeps } from './privacy/data-subject-requests.ts';
import { eraseRecipient, type ErasureDeps } from './privacy/erasure.ts';
import { exportLinks, type ExportLinks } from './privacy/export-links.ts';
import { TenantKeyStore } from './privacy/tenant-keys.ts';
import { Dispatcher } from './sends/dispatch/dispatcher.ts';
import { createMemoryJournal, createRedisJournal } from './sends/dispatch/outcome-journal.ts';
import { InboxApplier } from './sends/provider-events.ts';
import type { DispatchQueue } from './sends/queue.ts';
import { createBullmqQueue } from './sends/queue-bullmq.ts';
import { createInProcessQueue } from './sends/queue-in-process.ts';
import { createMemoryRateLimiter, createRedisRateLimiter } from './sends/rate-limiter.ts';
import { DEFAULT_REPORT_WINDOW_MS } from './sends/overdue-reports.ts';
import { countSends } from './sends/send-counts.ts';
import { Sweeper } from './sends/sweeper.ts';
import { WebhookDeliverer } from './partner-webhooks/deliveries.ts';
import { deliveryQueue, type DeliveryQueue } from './partner-webhooks/queue.ts';
import { WebhookFanOut } from './partner-webhooks/fanout.ts';
import { bullmqSchedule, timerSchedule, type RetentionSchedule } from './privacy/retention-schedule.ts';
import { sweepRetention, type RetentionCounts } from './privacy/retention-sweep.ts';

export interface App {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  keyRing: KeyRing;
  /** Tenants' unwrapped data keys and the keys derived from them. */
  tenantKeys: TenantKeyStore;
  log: Logger;
  authenticator: Authenticator;
  /** Audit events of clear reads, written before the value is returned. */
  auditReads: ReadAudit;
  /** The installed channel plugins. */
  plugins: PluginRegistry;
  /** Where provider calls may connect; in production only public addresses unless configured. */
  outbound: OutboundPolicy;
  /** Tenants' enabled channels, opened for sending. */
  channels: TenantChannels;
  /** Present when REDIS_URL is set (scale-out mode). */
  redis?: Redis;
  /** Send ids waiting for dispatch: in-process by default, BullMQ on Redis. */
  queue: DispatchQueue;
  /** Checks provider callbacks and stores their events in the inbox. */
  webhooks: WebhookIntake;
  /** Applies provider reports as webhooks store them. */
  inbox: InboxApplier;
  /** Partner webhook deliveries waiting for an attempt: in-process by default, BullMQ on Redis. */
  webhookQueue: DeliveryQueue;
  /** Turns the event log into webhook deliveries; runs where startDispatch was called. */
  webhookFanOut: WebhookFanOut;
  /** What GET /metrics serves. */
  metrics: Metrics;
  /** Wakes readers of the event log (subscriptions, webhooks): in-process, or Redis pub/sub with REDIS_URL. */
  events: EventBus;
  /** The event log's pages for subscribers, one query for all who ask the same at once. */
  eventReader: EventReader;
  /** What eraseRecipient (src/privacy/erasure.ts) needs, wired once. */
  erasure: ErasureDeps;
  /** Data subject requests: their own queue (same drivers as dispatch) and what their worker needs. */
  dataSubjectRequests: DataSubjectRequestDeps;
  /** Signed download links of data subject exports. */
  exportLinks: ExportLinks;
  /**
   * Makes this process a dispatcher: queue workers plus the sweeper. `serve` does it on the
   * embedded default; with Redis only `worker` processes do, and the API only enqueues.
   */
  startDispatch(): void;
  /** Applies every tenant's retention policy once: what the retention schedule runs (tests pass a clock). */
  sweepRetention(now?: () => Date): Promise<Map<string, RetentionCounts>>;
  /** Stops the sweeper, lets running dispatches finish for up to `graceMs` (default 5 s; then their provider calls are aborted and the sends go back to the queue), closes queue, Redis and database. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

export interface AppOptions {
  /** Start PGlite from this dumped, migrated database instead of DATA_DIR (tests). */
  pgliteLoad?: Blob;
  /** Keep PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  logDestination?: DestinationStream;
  onQuery?: (sql: string) => void;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = createLogger(config.logLevel, opts.logDestination);
  let closing = false;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: opts.inMemory || opts.pgliteLoad ? undefined : join(config.dataDir, 'pglite'),
    pgliteLoad: opts.pgliteLoad,
    onQuery: opts.onQuery,
    onIdleError: (err) => {
      if (!closing) log.warn({ err: errorFields(err) }, 'database connection dropped; the pool reconnects');
    },
  });
  if (opts.migrate !== false) {
    const applied = await migrate(db);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  }
  const auditReads = new ReadAudit(db.prisma);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true }) : undefined;
  // Errors also surface through /readyz and the callers; one line per interval says why.
  redis?.on('error', throttled(log, 'redis connection error'));
  const keyRing = new KeyRing(config.masterKeys, config.masterKeyVersion);
  const tenantKeys = new TenantKeyStore(db.prisma, keyRing);
  const plugins = createPluginRegistry(config);
  const outbound = createOutboundPolicy({ allowPrivateNetworks: config.outboundAllowPrivateNetworks });
  const channelDeps = { prisma: db.prisma, tenantKeys, plugins, config, outbound };
  const queue = config.redisUrl ? createBullmqQueue({ redisUrl: config.redisUrl, log, prefix: config.redisPrefix, lockMs: config.dispatch.leaseMs }) : createInProcessQueue({ log });
  const rateLimiter = redis ? createRedisRateLimiter(redis, config.redisPrefix) : createMemoryRateLimiter();
  const metrics = createMetrics({ queueDepth: () => queue.size(), sendCounts: () => countSends(db.prisma) });
  const channels = tenantChannels(channelDeps);
  const events = redis ? createRedisEventBus({ redis, prefix: config.redisPrefix, log }) : createInProcessEventBus();
  const webhookQueue = deliveryQueue(
    config.redisUrl
      ? createBullmqQueue({ redisUrl: config.redisUrl, log, prefix: config.redisPrefix, queueName: 'webhook-deliveries', lockMs: 3 * config.webhooks.timeoutMs })
      : createInProcessQueue({ log }),
  );
  // Partner endpoints get their own guard: WEBHOOK_ALLOW_INSECURE_URLS, not the providers' switch, decides.
  const webhookOutbound = createOutboundPolicy({ allowPrivateNetworks: config.webhooks.allowInsecureUrls });
  let deliverer: WebhookDeliverer | undefined;
  const webhookFanOut = new WebhookFanOut({ prisma: db.prisma, events, webhookQueue, log });
  let sweeper: Sweeper | undefined;
  const erasure: ErasureDeps = { prisma: db.prisma, tenantKeys, log, openChannel: (id) => openChannelById(channelDeps, id), retryBaseMs: config.privacy.erasureRetryBaseMs };
  const dsrQueue = config.redisUrl
    ? createBullmqQueue({ redisUrl: config.redisUrl, log, prefix: config.redisPrefix, queueName: 'data-subject-requests', lockMs: config.dispatch.leaseMs })
    : createInProcessQueue({ log });
  const dataSubjectRequests: DataSubjectRequestDeps = { prisma: db.prisma, tenantKeys, auditReads, plugins, erasure, queue: dsrQueue, log, leaseMs: config.dispatch.leaseMs };
  let dsrSweep: NodeJS.Timeout | undefined;
  let retentionSchedule: RetentionSchedule | undefined;
  const runRetention = (now?: () => Date) =>
    sweepRetention({ prisma: db.prisma, log, settings: config.retention, now, eraseRecipient: (target) => eraseRecipient(erasure, target, now?.()) });
  return {
    config,
    db,
    prisma: db.prisma,
    keyRing,
    tenantKeys,
    log,
    authenticator: new Authenticator(db.prisma, config, log),
    auditReads,
    plugins,
    outbound,
    channels,
    redis,
    queue,
    webhooks: new WebhookIntake({ ...channelDeps, log }),
    inbox: new InboxApplier({ prisma: db.prisma, log, events }),
    webhookQueue,
    webhookFanOut,
    metrics,
    events,
    eventReader: sharedEventReader(db.prisma),
    erasure,
    dataSubjectRequests,
    exportLinks: exportLinks({ masterKey: config.masterKeys.get(config.masterKeyVersion)!, config, ttlSeconds: config.privacy.exportLinkTtlSeconds }),
    startDispatch() {
      if (sweeper) return;
      const journal = redis ? createRedisJournal(redis, config.redisPrefix) : createMemoryJournal();
      const dispatcher = new Dispatcher({ prisma: db.prisma, tenantKeys, channels, log, queue, rateLimiter, journal, metrics, settings: config.dispatch, events });
      queue.startWorker((sendId, signal) => dispatcher.dispatch(sendId, signal), { concurrency: config.dispatch.concurrency });
      sweeper = new Sweeper({
        prisma: db.prisma,
        log,
        queue,
        settings: config.sweep,
        metrics,
        events,
        openChannel: (id) => openChannelById(channelDeps, id),
        minReportWindowMs: Math.min(...plugins.list().map((p) => (p.channel === 'COUPON' ? DEFAULT_REPORT_WINDOW_MS : (p.reportWindowMs ?? DEFAULT_REPORT_WINDOW_MS)))),
      });
      sweeper.start();
      deliverer = new WebhookDeliverer({ prisma: db.prisma, tenantKeys, webhookQueue, log, config, dispatcher: webhookOutbound.dispatcher });
      deliverer.start(config.sweep);
      webhookFanOut.start(config.sweep.intervalMs);
      dsrQueue.startWorker((requestId) => processDataSubjectRequest(dataSubjectRequests, requestId), { concurrency: 4 });
      // Requests a queue lost (a restart, a crashed worker) are handed out again: now, and on every sweep.
      const sweepRequests = () => void sweepDataSubjectRequests(dataSubjectRequests).catch(throttled(log, 'data subject request sweep failed'));
      sweepRequests();
      dsrSweep = setInterval(sweepRequests, config.sweep.intervalMs);
      dsrSweep.unref();
      const retentionTiming = { intervalMs: config.retention.intervalMs, log };
      retentionSchedule = config.redisUrl
        ? bullmqSchedule({ ...retentionTiming, redisUrl: config.redisUrl, prefix: config.redisPrefix }, () => runRetention())
        : timerSchedule(retentionTiming, () => runRetention());
      retentionSchedule.start().catch((err: unknown) => log.error({ err: errorFields(err) }, 'retention schedule failed to start'));
    },
    sweepRetention: runRetention,
    async close(opts = {}) {
      closing = true;
      clearInterval(dsrSweep);
      await sweeper?.stop();
      await retentionSchedule?.stop();
      await webhookFanOut.stop();
      await deliverer?.stop();
      await queue.close(opts);
      await events.close();
      await webhookQueue.close();
      await dsrQueue.close();
      await outbound.close();
      await webhookOutbound.close();
      redis?.disconnect();
      await db.close();
    },
  };
}
