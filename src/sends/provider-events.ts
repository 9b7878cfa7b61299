// Consumes the ProviderEvent inbox (filled by webhook intake): delivery reports move sends,
// redemptions move gifts. Applying an event twice changes nothing (the status machine's guards),
// so the webhook path and the sweeper may both apply the same row. A report that arrives
// before the send records its provider id stays in the inbox until the send catches up.
import type { PrismaClient } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { moveMany, type SendStatus, type Transition } from './status.ts';

/** An event that matches no send or gift for this long is given up on (marked processed). */
const ORPHAN_AFTER_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

export interface ProviderEventDeps {
  prisma: PrismaClient;
  log: Logger;
}

/** Which unprocessed events to apply: those with these ids or provider references, else the oldest. */
export interface EventFilter {
  ids?: string[];
  providerRefs?: string[];
  /** Live intake works newest first, so early reports still waiting for their send never block it. */
  newestFirst?: boolean;
}

/** Applies unprocessed events and returns how many were settled. */
export async function applyProviderEvents(deps: ProviderEventDeps, filter: EventFilter = {}): Promise<number> {
  const events = await deps.prisma.providerEvent.findMany({
    where: {
      processedAt: null,
      ...(filter.ids ? { id: { in: filter.ids } } : {}),
      ...(filter.providerRefs ? { providerRef: { in: filter.providerRefs } } : {}),
    },
    orderBy: filter.newestFirst ? { receivedAt: 'desc' } : { occurredAt: 'asc' },
    take: BATCH,
  });
  if (events.length === 0) return 0;

  const messageRefs = events.filter((e) => e.kind === 'message').map((e) => e.providerRef);
  const giftRefs = events.filter((e) => e.kind === 'gift').map((e) => e.providerRef);
  const tenantIds = [...new Set(events.map((e) => e.tenantId))];
  const [sends, gifts] = await Promise.all([
    messageRefs.length
      ? deps.prisma.send.findMany({ where: { tenantId: { in: tenantIds }, providerMessageId: { in: messageRefs } }, select: { id: true, tenantId: true, provider: true, providerMessageId: true } })
      : [],
    giftRefs.length
      ? deps.prisma.gift.findMany({ where: { tenantId: { in: tenantIds }, providerGiftId: { in: giftRefs } }, select: { id: true, tenantId: true, pluginId: true, providerGiftId: true } })
      : [],
  ]);
  const sendByRef = new Map(sends.map((s) => [`${s.tenantId}|${s.provider}|${s.providerMessageId}`, s.id]));
  const giftByRef = new Map(gifts.map((g) => [`${g.tenantId}|${g.pluginId}|${g.providerGiftId}`, g.id]));

  const settled: string[] = [];
  const transitions: Transition[] = [];
  const orphanBefore = Date.now() - ORPHAN_AFTER_MS;
  for (const event of events) {
    const key = `${event.tenantId}|${event.pluginId}|${event.providerRef}`;
    if (event.kind === 'message') {
      const sendId = sendByRef.get(key);
      if (sendId) {
        const status = event.status as SendStatus;
        const detail = event.detail ?? `${event.pluginId} reported ${status.toLowerCase()}`;
        transitions.push({ sendId, to: status, at: event.occurredAt, reason: status === 'FAILED' ? detail : null });
        settled.push(event.id);
        continue;
      }
    } else {
      const giftId = giftByRef.get(key);
      if (giftId) {
        await deps.prisma.gift.updateMany({
          where: { id: giftId, status: 'ISSUED' },
          data: { status: event.status as 'REDEEMED' | 'EXPIRED' | 'CANCELED', redeemedAt: event.status === 'REDEEMED' ? event.occurredAt : undefined },
        });
        settled.push(event.id);
        continue;
      }
    }
    if (event.receivedAt.getTime() < orphanBefore) {
      deps.log.warn({ pluginId: event.pluginId, kind: event.kind }, 'provider event matched nothing; given up');
      settled.push(event.id);
    }
  }
  // In order of occurrence: a SENT and a DELIVERED in one batch land as DELIVERED.
  for (const status of ['SENT', 'DELIVERED', 'FAILED'] as const) await moveMany(deps.prisma, transitions.filter((t) => t.to === status));
  if (settled.length) await deps.prisma.providerEvent.updateMany({ where: { id: { in: settled } }, data: { processedAt: new Date() } });
  return settled.length;
}

/**
 * Applies the inbox as webhooks fill it. Callbacks arriving together share one run (one
 * statement per step for all of them); a callback arriving during a run waits for the next.
 */
export class InboxApplier {
  private running: Promise<void> | null = null;
  private pending: Promise<void> | null = null;

  constructor(private readonly deps: ProviderEventDeps) {}

  /** Resolves once every event stored before the call has been tried. */
  kick(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = null));
      return this.running;
    }
    this.pending ??= this.running.then(() => {
      this.pending = null;
      return this.kick();
    });
    return this.pending;
  }

  private async drain(): Promise<void> {
    while ((await applyProviderEvents(this.deps, { newestFirst: true })) === BATCH);
  }
}
