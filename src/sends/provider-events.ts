// Consumes the ProviderEvent inbox (filled by webhook intake): delivery reports move sends,
// redemptions move gifts. Applying an event twice changes nothing (the status machine's guards),
// so the webhook path and the sweeper may both apply the same row. A report that arrives
// before the send records its provider id stays in the inbox until the send catches up.
import { batched, MAX_BATCH } from '../batch.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { SendStatus } from '../db/generated/enums.ts';
import { publishWritten, type EventBus } from '../events/bus.ts';
import { newUuidV7 } from '../ids.ts';
import { moveMany, type Transition } from './status.ts';

/** An event that matches no send or gift for this long is given up on (marked processed). */
const ORPHAN_AFTER_MS = 24 * 60 * 60 * 1000;

export interface ProviderEventDeps {
  prisma: PrismaClient;
  log: Logger;
  /** Woken after the events this module writes. */
  events: Pick<EventBus, 'publish'>;
}

/**
 * Which unprocessed events to apply: those with these ids, with these provider references, or
 * (`waiting`) every one whose send or gift now exists or that has waited long enough to give up.
 */
export type EventFilter = { ids: string[] } | { providerRefs: string[] } | { waiting: true };

function filterSql(filter: EventFilter): { where: string; param: unknown } {
  if ('ids' in filter) return { where: 'e."id" = ANY($1::uuid[])', param: filter.ids };
  if ('providerRefs' in filter) return { where: 'e."providerRef" = ANY($1::text[])', param: filter.providerRefs };
  return { where: '(s."id" IS NOT NULL OR g."id" IS NOT NULL OR e."receivedAt" < $1::timestamptz)', param: new Date(Date.now() - ORPHAN_AFTER_MS) };
}

interface MatchedEvent {
  id: string;
  pluginId: string;
  kind: string;
  status: string;
  occurredAt: Date;
  detail: string | null;
  receivedAt: Date;
  sendId: string | null;
  giftId: string | null;
}

/** Applies unprocessed events (at most a batch) and returns how many were settled. */
export async function applyProviderEvents(deps: ProviderEventDeps, filter: EventFilter): Promise<number> {
  // Each event with the send or gift it reports on, in one statement.
  const { where, param } = filterSql(filter);
  const events = await deps.prisma.$queryRawUnsafe<MatchedEvent[]>(
    `SELECT e."id", e."pluginId", e."kind", e."status", e."occurredAt", e."detail", e."receivedAt", s."id" AS "sendId", g."id" AS "giftId"
     FROM "ProviderEvent" e
     LEFT JOIN "Send" s ON e."kind" = 'message' AND s."tenantId" = e."tenantId" AND s."providerMessageId" = e."providerRef" AND s."provider" = e."pluginId"
     LEFT JOIN "Gift" g ON e."kind" = 'gift' AND g."tenantId" = e."tenantId" AND g."providerGiftId" = e."providerRef" AND g."pluginId" = e."pluginId"
     WHERE e."processedAt" IS NULL AND ${where}
     ORDER BY e."occurredAt"
     LIMIT ${MAX_BATCH}`,
    param,
  );
  if (events.length === 0) return 0;

  const settled: string[] = [];
  const transitions: Transition[] = [];
  // The first report on a gift decides it (a gift leaves ISSUED once).
  const giftOutcomes = new Map<string, MatchedEvent>();
  const orphanBefore = Date.now() - ORPHAN_AFTER_MS;
  for (const event of events) {
    if (event.sendId) {
      const status = event.status as SendStatus;
      const detail = event.detail ?? `${event.pluginId} reported ${status.toLowerCase()}`;
      transitions.push({ sendId: event.sendId, to: status, at: event.occurredAt, providerAt: event.occurredAt, reason: status === 'FAILED' ? detail : null });
    } else if (event.giftId) {
      if (!giftOutcomes.has(event.giftId)) giftOutcomes.set(event.giftId, event);
    } else if (event.receivedAt.getTime() < orphanBefore) {
      deps.log.warn({ pluginId: event.pluginId, kind: event.kind }, 'provider event matched nothing; given up');
    } else {
      continue;
    }
    settled.push(event.id);
  }
  if (giftOutcomes.size) {
    const outcomes = [...giftOutcomes];
    // Each gift that moves gets its event (the send's status copied) in the same statement.
    const written = await deps.prisma.$queryRawUnsafe<Array<{ tenantId: string; position: bigint }>>(
      `WITH moved AS (
         UPDATE "Gift" g SET "status" = v."status"::"GiftStatus", "redeemedAt" = CASE WHEN v."status" = 'REDEEMED' THEN v."at" ELSE g."redeemedAt" END, "updatedAt" = now()
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::uuid[]) AS v("id", "status", "at", "eventId")
         WHERE g."id" = v."id" AND g."status" = 'ISSUED'
         RETURNING g."tenantId", g."sendId", g."pluginId", g."status", v."at", v."eventId"
       )
       INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "giftStatus", "at", "provider", "providerAt")
       SELECT m."eventId", m."tenantId", m."sendId", s."status", m."status", now(), m."pluginId", m."at"
       FROM moved m JOIN "Send" s ON s."id" = m."sendId" ORDER BY m."tenantId"
       RETURNING "tenantId", "position"`,
      outcomes.map(([id]) => id),
      outcomes.map(([, e]) => e.status),
      outcomes.map(([, e]) => e.occurredAt),
      outcomes.map(() => newUuidV7()),
    );
    publishWritten(deps.events, written);
  }
  // In order of occurrence: a SENT and a DELIVERED in one batch land as DELIVERED.
  for (const status of ['SENT', 'DELIVERED', 'FAILED'] as const) publishWritten(deps.events, await moveMany(deps.prisma, transitions.filter((t) => t.to === status)));
  if (settled.length) await deps.prisma.$executeRawUnsafe(`UPDATE "ProviderEvent" SET "processedAt" = now() WHERE "id" = ANY($1::uuid[])`, settled);
  return settled.length;
}

/**
 * The sweeper's pass over the inbox: every waiting event whose send or gift now exists, and
 * those waited on long enough to be given up. Events still early for their send are skipped,
 * so however many wait, they never hold up the ones that can be applied.
 */
export async function applyWaitingEvents(deps: ProviderEventDeps): Promise<number> {
  let settled = 0;
  for (;;) {
    // Every event the pass picks is settled, so a short batch is the last one.
    const applied = await applyProviderEvents(deps, { waiting: true });
    settled += applied;
    if (applied < MAX_BATCH) return settled;
  }
}

/**
 * Applies the inbox as webhooks fill it: the events stored by callbacks arriving together are
 * applied in one run (one statement per step for all of them). Events that find no send yet
 * are left for the dispatcher, which applies them once it records the provider id, and for
 * the sweeper.
 */
export class InboxApplier {
  private readonly runs = batched<string, number>(async (ids) => {
    const applied = await applyProviderEvents(this.deps, { ids: [...ids] });
    return ids.map(() => applied);
  });

  constructor(private readonly deps: ProviderEventDeps) {}

  /** Resolves once these stored events have been tried. */
  async apply(eventIds: string[]): Promise<void> {
    await Promise.all(eventIds.map((id) => this.runs.load(id)));
  }
}
