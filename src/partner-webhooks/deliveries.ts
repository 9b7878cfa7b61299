// Delivering partner webhooks. A delivery row is the truth; the queue only says "attempt this
// one now". Each attempt is claimed with a guarded update (so two workers never post the same
// attempt), posted through the outbound guard, recorded (status code, latency, error; never
// the response body) and followed by the endpoint's health and the next attempt's time.
import { request, type Dispatcher } from 'undici';
import type { Principal } from '../auth/principal.ts';
import type { PartnerWebhookSettings, SweepSettings } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import { errorFields, type Logger } from '../log.ts';
import { recordAudit } from '../privacy/audit.ts';
import type { TenantKeyStore } from '../privacy/tenant-keys.ts';
import { eventPayload, eventType, matches, testPayload, TEST_EVENT_TYPE, type WebhookEvent } from './events.ts';
import type { DeliveryQueue } from './queue.ts';
import { HONOURS_RETRY_AFTER, retryAfterMs, scheduledDelayMs } from './retry.ts';
import { openSecret, signatureHeader } from './secrets.ts';

/** Why an endpoint stopped receiving deliveries. */
export const DISABLED_REASONS = {
  GONE: 'The endpoint answered 410 Gone.',
  FAILING: 'Every delivery failed for longer than the configured period.',
  DISABLED_BY_USER: 'disableWebhookEndpoint was called.',
} as const;

/** A job that runs a moment before its time (timer granularity) still counts as due. */
const DUE_TOLERANCE_MS = 1000;
const SWEEP_BATCH = 1000;

export interface DeliveryDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  webhookQueue: DeliveryQueue;
  log: Logger;
  config: { webhooks: PartnerWebhookSettings };
}

export interface DelivererDeps extends DeliveryDeps {
  /** Where webhook calls may connect (src/channels/kit/outbound.ts). */
  dispatcher: Dispatcher;
  /** The clock of schedules and health; the signature's timestamp is always the real time, as receivers check it against theirs. */
  now?: () => Date;
  random?: () => number;
}

/** Creates one delivery per event and matching enabled endpoint, idempotently, and returns the new ones' ids. */
export async function createDeliveries(
  tx: Pick<PrismaClient, 'webhookEndpoint' | 'webhookDelivery'>,
  tenantId: string,
  events: readonly WebhookEvent[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const endpoints = await tx.webhookEndpoint.findMany({ where: { tenantId, enabled: true }, select: { id: true, statuses: true, giftStatuses: true } });
  const rows = endpoints.flatMap((endpoint) =>
    events.filter((event) => matches(endpoint, event)).map((event) => ({ tenantId, endpointId: endpoint.id, position: event.position, eventType: eventType(event), payload: eventPayload(event) })),
  );
  if (rows.length === 0) return [];
  // (endpointId, tenantId, position) is unique: an event fanned out twice is delivered once.
  const created = await tx.webhookDelivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
  return created.map((d) => d.id);
}

/** Queues the first attempt of committed deliveries; if the queue is away, the sweep finds them. */
export async function enqueueDeliveries(deps: Pick<DeliveryDeps, 'webhookQueue' | 'log'>, ids: readonly string[], attempt = 1): Promise<void> {
  try {
    await deps.webhookQueue.enqueue(ids.map((deliveryId) => ({ deliveryId, attempt })));
  } catch (err) {
    deps.log.warn({ deliveries: ids.length, err: errorFields(err) }, 'webhook enqueue failed; the sweep will pick the deliveries up');
  }
}

/** A delivery of the `webhook.test` event to the endpoint, queued at once. */
export async function sendTestWebhook(deps: DeliveryDeps, actor: Principal, input: { endpointId: string }) {
  const endpoint = await deps.prisma.webhookEndpoint.findUnique({ where: { id: input.endpointId }, select: { id: true, tenantId: true, enabled: true } });
  if (!endpoint) throw notFound('WebhookEndpoint');
  if (!endpoint.enabled) throw new AppError('BAD_USER_INPUT', 'endpointId: the endpoint is disabled; enableWebhookEndpoint first', { field: 'endpointId' });
  const delivery = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.webhookDelivery.create({
      data: { tenantId: endpoint.tenantId, endpointId: endpoint.id, eventType: TEST_EVENT_TYPE, payload: testPayload(endpoint.tenantId, endpoint.id, new Date()) },
    });
    await recordAudit(tx, { tenantId: endpoint.tenantId, actor: actor.actor, action: 'webhookEndpoint.tested', targetType: 'WebhookEndpoint', targetId: endpoint.id });
    return created;
  });
  await enqueueDeliveries(deps, [delivery.id]);
  return delivery;
}

/** One more attempt of a finished delivery, now, with the same webhook-id and body. */
export async function redeliverWebhook(deps: DeliveryDeps, actor: Principal, input: { deliveryId: string }) {
  const current = await deps.prisma.webhookDelivery.findUnique({ where: { id: input.deliveryId }, include: { endpoint: { select: { enabled: true } } } });
  if (!current) throw notFound('WebhookDelivery');
  if (!current.endpoint.enabled) throw new AppError('BAD_USER_INPUT', 'deliveryId: the endpoint is disabled; enableWebhookEndpoint first', { field: 'deliveryId' });
  const delivery = await deps.prisma.$transaction(async (tx) => {
    // Guarded: a delivery still being retried has its next attempt queued already.
    const reset = await tx.webhookDelivery.updateMany({ where: { id: current.id, status: { not: 'PENDING' } }, data: { status: 'PENDING', nextAttemptAt: new Date() } });
    if (reset.count === 0) throw new AppError('BAD_USER_INPUT', 'deliveryId: the delivery is still pending; its next attempt is queued', { field: 'deliveryId' });
    await recordAudit(tx, { tenantId: current.tenantId, actor: actor.actor, action: 'webhookDelivery.redelivered', targetType: 'WebhookDelivery', targetId: current.id });
    return tx.webhookDelivery.findUniqueOrThrow({ where: { id: current.id } });
  });
  await enqueueDeliveries(deps, [delivery.id], delivery.attemptCount + 1);
  return delivery;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  retryAfter: string | string[] | undefined;
  latencyMs: number;
}

export class WebhookDeliverer {
  private readonly now: () => Date;
  private readonly random: () => number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly deps: DelivererDeps) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /** Makes the attempt a queued job stands for, if the delivery is still due and no one else holds it. */
  async deliver(deliveryId: string, signal?: AbortSignal): Promise<void> {
    const { prisma, config } = this.deps;
    const settings = config.webhooks;
    const now = this.now();
    const claimed = await prisma.webhookDelivery.updateMany({
      where: {
        id: deliveryId,
        status: 'PENDING',
        AND: [
          { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
          { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(now.getTime() + DUE_TOLERANCE_MS) } }] },
        ],
      },
      data: { leaseUntil: new Date(now.getTime() + 2 * settings.timeoutMs) },
    });
    if (claimed.count === 0) return;
    const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { endpoint: true } });
    const { endpoint } = delivery;
    if (!endpoint.enabled) {
      // Kept for redeliverWebhook once the endpoint is enabled again.
      await prisma.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'FAILED', leaseUntil: null, nextAttemptAt: null } });
      return;
    }

    const keys = await this.deps.tenantKeys.get(endpoint.tenantId);
    const secrets = [openSecret(keys, endpoint.id, endpoint.secretEnc)];
    if (endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()) {
      secrets.push(openSecret(keys, endpoint.id, endpoint.previousSecretEnc));
    }
    const outcome = await this.post(endpoint.url, `msg_${delivery.id}`, delivery.payload, secrets, signal);
    await this.record(delivery, outcome, now);
  }

  private async post(url: string, msgId: string, body: string, secrets: string[], signal?: AbortSignal): Promise<Outcome> {
    const timeoutMs = this.deps.config.webhooks.timeoutMs;
    const timestamp = new Date();
    const started = performance.now();
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.deps.dispatcher,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'send-platform-webhooks/1',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signatureHeader(secrets, msgId, timestamp, body),
        },
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
      // Never read, never stored: a receiver's answer may hold anything.
      await res.body.dump();
      return { statusCode: res.statusCode, error: null, retryAfter: res.headers['retry-after'], latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      return { statusCode: null, error: errorCode(err), retryAfter: undefined, latencyMs: Math.round(performance.now() - started) };
    }
  }

  private async record(
    delivery: { id: string; tenantId: string; endpointId: string; attemptCount: number; endpoint: { failingSince: Date | null } },
    outcome: Outcome,
    at: Date,
  ): Promise<void> {
    const { prisma, config, log } = this.deps;
    const settings = config.webhooks;
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const attempt = delivery.attemptCount + 1;
    let next: Date | null = null;
    await prisma.$transaction(async (tx) => {
      await tx.webhookAttempt.create({ data: { deliveryId: delivery.id, at, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, error: outcome.error } });
      if (ok) {
        await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'SUCCEEDED', attemptCount: attempt, lastAttemptAt: at, leaseUntil: null, nextAttemptAt: null } });
        await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { lastSuccessAt: at, consecutiveFailures: 0, failingSince: null } });
        return;
      }
      const failingSince = delivery.endpoint.failingSince ?? at;
      await tx.webhookEndpoint.update({
        where: { id: delivery.endpointId },
        data: { lastFailureAt: at, consecutiveFailures: { increment: 1 }, failingSince },
      });
      const disableReason = outcome.statusCode === 410 ? 'GONE' : at.getTime() - failingSince.getTime() >= settings.disableAfterMs ? 'FAILING' : null;
      if (disableReason) {
        const disabled = await tx.webhookEndpoint.updateMany({
          where: { id: delivery.endpointId, enabled: true },
          data: { enabled: false, disabledReason: disableReason, disabledAt: at },
        });
        if (disabled.count > 0) {
          await recordAudit(tx, { tenantId: delivery.tenantId, actor: 'system', action: `webhookEndpoint.disabled.${disableReason}`, targetType: 'WebhookEndpoint', targetId: delivery.endpointId });
          log.info({ endpointId: delivery.endpointId, reason: disableReason }, 'webhook endpoint disabled');
        }
      } else {
        const asked = outcome.statusCode !== null && HONOURS_RETRY_AFTER.has(outcome.statusCode) ? retryAfterMs(outcome.retryAfter, at) : null;
        const delay = scheduledDelayMs(settings.retryScheduleMs, delivery.attemptCount, this.random);
        // The schedule bounds the number of retries; Retry-After only moves the next one.
        if (delay !== null) next = new Date(at.getTime() + (asked ?? delay));
      }
      await tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: { status: next ? 'PENDING' : 'FAILED', attemptCount: attempt, lastAttemptAt: at, leaseUntil: null, nextAttemptAt: next },
      });
    });
    if (!ok) log.info({ deliveryId: delivery.id, statusCode: outcome.statusCode, error: outcome.error, retryAt: next }, 'webhook attempt failed');
    if (next) await enqueueDeliveries(this.deps, [delivery.id], attempt + 1);
  }

  /**
   * Starts consuming the queue, and a periodic sweep that queues again what a queue lost
   * (pending deliveries overdue by more than the grace period; none at start).
   */
  start(sweep: SweepSettings): void {
    const handle = (id: string, signal: AbortSignal) =>
      // The claim's lease runs out and the sweep queues the delivery again.
      this.deliver(id, signal).catch((err) => this.deps.log.error({ err: errorFields(err), deliveryId: id }, 'webhook delivery failed'));
    this.deps.webhookQueue.startWorker(handle, { concurrency: this.deps.config.webhooks.concurrency });
    const run = (graceMs: number) => {
      this.sweeping ??= this.sweep(graceMs)
        .then(() => undefined)
        .catch((err) => this.deps.log.warn({ err: errorFields(err) }, 'webhook sweep failed'))
        .finally(() => (this.sweeping = undefined));
    };
    run(0);
    this.sweepTimer = setInterval(() => run(sweep.stuckAfterMs), sweep.intervalMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
  }

  /** Queues pending deliveries due for longer than `graceMs` and not held by a worker. */
  async sweep(graceMs: number): Promise<number> {
    const now = this.now();
    const due = await this.deps.prisma.webhookDelivery.findMany({
      where: {
        status: 'PENDING',
        OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(now.getTime() - graceMs) } }],
        AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }],
        createdAt: { lte: new Date(now.getTime() - graceMs) },
      },
      select: { id: true, attemptCount: true },
      orderBy: { id: 'asc' },
      take: SWEEP_BATCH,
    });
    if (due.length) await this.deps.webhookQueue.enqueue(due.map((d) => ({ deliveryId: d.id, attempt: d.attemptCount + 1 })));
    return due.length;
  }
}

/** A short, data-free name of a failed attempt's cause: a socket code, 'timeout', 'blocked_address'. */
function errorCode(err: unknown): string {
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.code;
  if (code === 'ERR_BLOCKED_ADDRESS') return 'blocked_address';
  if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  return (code ?? e.name ?? 'error').slice(0, 64);
}
