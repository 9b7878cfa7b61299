// Reading the event log: the tenant's SendEvent rows in position order, with the send's
// channel and campaign. Entries hold ids, statuses, channel, provider, times and reason codes
// (SendEvent.detail is written free of personal data), so they may leave the service as they are.
import type { PrismaClient } from '../db/client.ts';
import type { Channel, GiftStatus, SendStatus } from '../db/generated/enums.ts';
import { badInput } from '../errors.ts';

export interface LoggedEvent {
  tenantId: string;
  position: bigint;
  cursor: string;
  sendId: string;
  campaignId: string | null;
  status: SendStatus;
  giftStatus: GiftStatus | null;
  channel: Channel;
  provider: string | null;
  providerAt: Date | null;
  at: Date;
  reason: string | null;
}

export interface ReadEventsOptions {
  tenantId: string;
  /** Events with a position above this one; 0n reads from the start. */
  after: bigint;
  limit: number;
  sendId?: string;
  campaignId?: string;
}

/** The most events one read returns. */
export const MAX_READ = 1000;

const CURSOR_PREFIX = 'ev1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor naming one position in one tenant's log. */
export function encodeCursor(tenantId: string, position: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}:${tenantId}:${position}`).toString('base64url');
}

/** The tenant and position of a cursor; BAD_USER_INPUT on anything encodeCursor did not make. */
export function decodeCursor(cursor: string, field = 'after'): { tenantId: string; position: bigint } {
  const parts = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8').split(':') : [];
  const [prefix, tenantId, position] = parts;
  if (parts.length !== 3 || prefix !== CURSOR_PREFIX || !UUID.test(tenantId!) || !/^\d{1,18}$/.test(position!)) {
    throw badInput(field, 'not a cursor of this service; pass the `cursor` of an event received earlier');
  }
  return { tenantId: tenantId!, position: BigInt(position!) };
}

/** The position of a cursor that must belong to `tenantId` (a foreign cursor is refused like garbage). */
export function positionOf(cursor: string, tenantId: string, field = 'after'): bigint {
  const decoded = decodeCursor(cursor, field);
  if (decoded.tenantId !== tenantId) throw badInput(field, 'this cursor belongs to another tenant');
  return decoded.position;
}

interface EventRow {
  tenantId: string;
  position: bigint;
  sendId: string;
  campaignId: string | null;
  status: SendStatus;
  giftStatus: GiftStatus | null;
  channel: Channel;
  provider: string | null;
  providerAt: Date | null;
  at: Date;
  detail: string | null;
}

/** The tenant's events after a position, oldest first, at most `limit` (capped at MAX_READ). */
export async function readEventsAfter(prisma: PrismaClient, opts: ReadEventsOptions): Promise<LoggedEvent[]> {
  const params: unknown[] = [opts.tenantId, opts.after, Math.max(1, Math.min(opts.limit, MAX_READ))];
  const filters: string[] = [];
  if (opts.sendId) filters.push(`AND e."sendId" = $${params.push(opts.sendId)}::uuid`);
  if (opts.campaignId) filters.push(`AND s."campaignId" = $${params.push(opts.campaignId)}::uuid`);
  const rows = await prisma.$queryRawUnsafe<EventRow[]>(
    `SELECT e."tenantId", e."position", e."sendId", s."campaignId", e."status"::text AS "status", e."giftStatus"::text AS "giftStatus",
       s."channel"::text AS "channel", e."provider", e."providerAt", e."at", e."detail"
     FROM "SendEvent" e JOIN "Send" s ON s."id" = e."sendId"
     WHERE e."tenantId" = $1::uuid AND e."position" > $2::bigint ${filters.join(' ')}
     ORDER BY e."position"
     LIMIT $3::int`,
    ...params,
  );
  return rows.map(({ detail, ...row }) => ({ ...row, cursor: encodeCursor(row.tenantId, row.position), reason: detail }));
}

/** Reads the log as readEventsAfter does. */
export type EventReader = (opts: ReadEventsOptions) => Promise<LoggedEvent[]>;

/**
 * readEventsAfter shared by the subscribers that ask for the same page at the same moment: a
 * tenant's subscribers all wake on the same event, and one query answers them all. A request
 * joins only a read that has not started yet (reads start on the next turn of the event loop),
 * so its answer holds every event committed before it asked, as if it had queried alone.
 */
export function sharedEventReader(prisma: PrismaClient): EventReader {
  const waiting = new Map<string, Promise<LoggedEvent[]>>();
  return (opts) => {
    const key = `${opts.tenantId}|${opts.after}|${opts.limit}|${opts.sendId ?? ''}|${opts.campaignId ?? ''}`;
    let read = waiting.get(key);
    if (!read) {
      read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        waiting.delete(key);
        return readEventsAfter(prisma, opts);
      });
      waiting.set(key, read);
    }
    return read;
  };
}

/** The tenant's highest position so far (0n before its first event): where a live-only reader starts. */
export async function headPosition(prisma: PrismaClient, tenantId: string): Promise<bigint> {
  const rows = await prisma.$queryRawUnsafe<Array<{ position: bigint }>>(`SELECT "position" FROM "TenantEventCounter" WHERE "tenantId" = $1::uuid`, tenantId);
  return rows[0]?.position ?? 0n;
}
