// From the event log to deliveries. Per tenant a durable cursor says up to which position
// deliveries exist; one fan-out step locks it (so any number of workers may run it), reads the
// events after it, creates one delivery per matching endpoint and event, and advances it, all
// in one transaction; then it queues the new deliveries. The bus wakes it when a tenant's log
// grows; a periodic catch-up covers lost wake-ups and tenants whose endpoints came meanwhile.
import type { PrismaClient, Tx } from '../db/client.ts';
import type { EventBus } from '../events/bus.ts';
import { readEventsAfter } from '../events/log.ts';
import { errorFields, type Logger } from '../log.ts';
import { createDeliveries, enqueueDeliveries } from './deliveries.ts';
import type { DeliveryQueue } from './queue.ts';

const BATCH = 500;

export interface FanOutDeps {
  prisma: PrismaClient;
  events: EventBus;
  webhookQueue: DeliveryQueue;
  log: Logger;
}

/**
 * Starts the tenant's cursor at the log's head when no other enabled endpoint follows it, so a
 * new (or re-enabled) endpoint receives events from now on, not the tenant's history. Call it
 * in the transaction that enables the endpoint.
 */
export async function followFromHead(tx: Tx, tenantId: string, endpointId: string): Promise<void> {
  const followed = await tx.webhookEndpoint.count({ where: { tenantId, enabled: true, id: { not: endpointId } } });
  if (followed > 0) return;
  await tx.$executeRaw`
    INSERT INTO "WebhookCursor" ("tenantId", "position")
    VALUES (${tenantId}::uuid, COALESCE((SELECT "position" FROM "TenantEventCounter" WHERE "tenantId" = ${tenantId}::uuid), 0))
    ON CONFLICT ("tenantId") DO UPDATE SET "position" = EXCLUDED."position"`;
}

/** One step for one tenant: the deliveries of up to BATCH events after its cursor, created and queued. */
export async function fanOutOnce(deps: Omit<FanOutDeps, 'events'>, tenantId: string): Promise<{ events: number; deliveries: number }> {
  const { ids, events } = await deps.prisma.$transaction(async (tx) => {
    // The row lock serialises fan-outs of one tenant across workers; the unique
    // (endpointId, tenantId, position) keeps a repeated event single even so.
    const cursor = await tx.$queryRaw<Array<{ position: bigint }>>`SELECT "position" FROM "WebhookCursor" WHERE "tenantId" = ${tenantId}::uuid FOR UPDATE`;
    if (cursor.length === 0) return { ids: [], events: 0 };
    // readEventsAfter runs one raw query, which the transaction's client has too (and must run it: PGlite has one connection).
    const batch = await readEventsAfter(tx as PrismaClient, { tenantId, after: cursor[0]!.position, limit: BATCH });
    if (batch.length === 0) return { ids: [], events: 0 };
    const created = await createDeliveries(tx, tenantId, batch);
    await tx.webhookCursor.update({ where: { tenantId }, data: { position: batch.at(-1)!.position } });
    return { ids: created, events: batch.length };
  });
  if (ids.length) await enqueueDeliveries(deps, ids);
  return { events, deliveries: ids.length };
}

export class WebhookFanOut {
  private readonly subscriptions = new Map<string, () => void>();
  /** Tenants being fanned out now; true when a wake-up came meanwhile, so it runs once more. */
  private readonly running = new Map<string, boolean>();
  private readonly idle = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly deps: FanOutDeps) {}

  /** Makes this process a fan-out worker (dispatching processes only). */
  start(intervalMs: number): void {
    this.started = true;
    void this.catchUp();
    this.timer = setInterval(() => void this.catchUp(), intervalMs);
    this.timer.unref();
  }

  /** Follows every tenant with an enabled endpoint and fans each out (the periodic safety net). */
  async catchUp(): Promise<void> {
    try {
      const tenants = await this.deps.prisma.webhookEndpoint.findMany({ where: { enabled: true }, select: { tenantId: true }, distinct: ['tenantId'] });
      const current = new Set(tenants.map((t) => t.tenantId));
      for (const [tenantId, unsubscribe] of this.subscriptions) {
        if (!current.has(tenantId)) {
          unsubscribe();
          this.subscriptions.delete(tenantId);
        }
      }
      for (const tenantId of current) this.follow(tenantId);
      await Promise.all([...current].map((tenantId) => this.wake(tenantId)));
    } catch (err) {
      this.deps.log.warn({ err: errorFields(err) }, 'webhook fan-out catch-up failed');
    }
  }

  /**
   * Subscribes to the tenant's wake-ups. Enabling an endpoint calls it, which takes effect at
   * once where the API dispatches too (the embedded default); other workers follow the tenant
   * from their next catch-up, and the cursor keeps the events of the time between.
   */
  follow(tenantId: string): void {
    if (!this.started || this.stopped || this.subscriptions.has(tenantId)) return;
    this.subscriptions.set(tenantId, this.deps.events.subscribe(tenantId, () => void this.wake(tenantId)));
  }

  /** Fans the tenant out until its cursor reaches the log's head; concurrent wake-ups coalesce. */
  async wake(tenantId: string): Promise<void> {
    if (this.stopped) return;
    if (this.running.has(tenantId)) {
      this.running.set(tenantId, true);
      return;
    }
    this.running.set(tenantId, false);
    try {
      for (;;) {
        const step = await fanOutOnce(this.deps, tenantId);
        if (step.events === BATCH) continue;
        if (!this.running.get(tenantId) || this.stopped) break;
        this.running.set(tenantId, false);
      }
    } catch (err) {
      this.deps.log.warn({ err: errorFields(err), tenantId }, 'webhook fan-out failed; the catch-up retries');
    } finally {
      this.running.delete(tenantId);
      if (this.running.size === 0) for (const resolve of this.idle) resolve();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    if (this.running.size > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }
}
