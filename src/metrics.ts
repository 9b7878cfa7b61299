// Prometheus metrics for operators (GET /metrics). Labels carry plugin ids, statuses, operation
// names and outcomes only: never tenant ids, recipients or anything personal. One registry per
// service instance, so that several instances in one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Operation names are chosen by clients: past this many distinct ones, the rest count as 'other'. */
const MAX_OPERATION_LABELS = 200;

export type AttemptOutcome = 'sent' | 'delivered' | 'retry' | 'failover' | 'failed' | 'blocked';

export interface Metrics {
  registry: Registry;
  /** A finished HTTP request; GraphQL ones by operation name. */
  request(operation: string | undefined, outcome: string, seconds: number): void;
  /** One dispatch attempt's outcome, and the provider call's duration when there was one. */
  attempt(plugin: string | null, outcome: AttemptOutcome, providerSeconds?: number): void;
  /** A send taken over after its lease ran out: 'held' when the earlier acceptance was found, 'unknown' when it was sent again (a possible duplicate). */
  takeover(outcome: 'held' | 'unknown'): void;
  /** A provider callback, by the status the intake answered ('unknown' for plugins not installed). */
  webhook(plugin: string, status: number): void;
  /** A SENT send whose delivery report is overdue, looked into: polled and delivered/failed/pending, polling failed ('error'), or marked ('unpollable'). */
  overdueReport(plugin: string, outcome: 'delivered' | 'failed' | 'pending' | 'unpollable' | 'error'): void;
  /** A subscriber ended because it fell behind (its buffer stayed full). */
  subscriberFellBehind(): void;
}

export interface MetricsSources {
  queueDepth?: () => Promise<number>;
  /** Sends per channel, provider (plugin id) and status, read at scrape time. */
  sendCounts?: () => Promise<Array<{ channel: string; provider: string | null; status: string; count: number }>>;
}

export function createMetrics(opts: MetricsSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'send_http_request_duration_seconds',
    help: 'HTTP requests by GraphQL operation (or route) and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const attempts = new Counter({ name: 'send_dispatch_attempts_total', help: 'Dispatch attempts by plugin and outcome.', labelNames: ['plugin', 'outcome'], registers: [registry] });
  const providerLatency = new Histogram({
    name: 'send_provider_call_duration_seconds',
    help: 'Provider calls (send, issue) by plugin.',
    labelNames: ['plugin'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const takeovers = new Counter({
    name: 'send_takeovers_total',
    help: "Sends taken over after a lease ran out: outcome 'held' recorded the earlier acceptance, 'unknown' sent again (possible duplicate with providers without idempotency).",
    labelNames: ['outcome'],
    registers: [registry],
  });
  const webhooks = new Counter({ name: 'send_webhooks_total', help: 'Provider callbacks by plugin and HTTP status answered.', labelNames: ['plugin', 'status'], registers: [registry] });
  const overdue = new Counter({ name: 'send_reports_overdue_total', help: 'SENT sends past their report window, by plugin and what looking into them found.', labelNames: ['plugin', 'outcome'], registers: [registry] });
  const fellBehind = new Counter({
    name: 'send_subscribers_fell_behind_total',
    help: 'Subscriptions ended with RATE_LIMITED because their buffer stayed full (SUBSCRIPTION_STALL_MS); they may resume from their cursor.',
    registers: [registry],
  });
  if (opts.queueDepth) {
    const queueDepth = opts.queueDepth;
    new Gauge({
      name: 'send_dispatch_queue_depth',
      help: 'Dispatch jobs waiting, delayed or running.',
      registers: [registry],
      async collect() {
        this.set(await queueDepth().catch(() => Number.NaN));
      },
    });
  }
  if (opts.sendCounts) {
    const sendCounts = opts.sendCounts;
    new Gauge({
      name: 'send_sends',
      help: 'Sends by channel, provider (plugin id, "none" before the first attempt) and current status, over every tenant.',
      labelNames: ['channel', 'provider', 'status'],
      registers: [registry],
      async collect() {
        // Statuses that emptied must not keep their last value.
        this.reset();
        for (const row of await sendCounts().catch(() => [])) this.set({ channel: row.channel, provider: row.provider ?? 'none', status: row.status }, row.count);
      },
    });
  }
  const operations = new Set<string>();
  const operationLabel = (operation: string | undefined) => {
    if (!operation) return 'none';
    if (!/^\w{1,64}$/.test(operation)) return 'other';
    if (operations.has(operation)) return operation;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(operation);
    return operation;
  };
  return {
    registry,
    request: (operation, outcome, seconds) => requests.observe({ operation: operationLabel(operation), outcome }, seconds),
    attempt(plugin, outcome, providerSeconds) {
      attempts.inc({ plugin: plugin ?? 'none', outcome });
      if (plugin && providerSeconds !== undefined) providerLatency.observe({ plugin }, providerSeconds);
    },
    takeover: (outcome) => takeovers.inc({ outcome }),
    webhook: (plugin, status) => webhooks.inc({ plugin, status: String(status) }),
    overdueReport: (plugin, outcome) => overdue.inc({ plugin, outcome }),
    subscriberFellBehind: () => fellBehind.inc(),
  };
}
