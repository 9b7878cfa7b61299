// The send status machine. Statuses only move forward (QUEUED → SENDING → SENT → DELIVERED |
// FAILED, or straight to BLOCKED / CANCELED); the one step back is the dispatcher's own
// SENDING → QUEUED when it schedules a retry. Every move is a SendEvent, written with the
// guarded UPDATE in one statement, so a late or repeated report changes nothing.
import type { PrismaClient, Tx } from '../db/client.ts';
import type { SendStatus } from '../db/generated/enums.ts';
import { newUuidV7 } from '../ids.ts';

export const TERMINAL: readonly SendStatus[] = ['DELIVERED', 'FAILED', 'CANCELED', 'BLOCKED'];

const RANK: Record<SendStatus, number> = { QUEUED: 0, SENDING: 1, SENT: 2, DELIVERED: 3, FAILED: 3, CANCELED: 3, BLOCKED: 3 };

/** May a send in `from` move to `to`? Provider reports and the dispatcher both ask this. */
export function canMove(from: SendStatus, to: SendStatus, opts: { retry?: boolean } = {}): boolean {
  if (TERMINAL.includes(from)) return false;
  if (opts.retry) return from === 'SENDING' && to === 'QUEUED';
  if (to === 'CANCELED') return from === 'QUEUED';
  return RANK[to] > RANK[from];
}

/** Provider wording and our reasons are kept short; they never hold personal data. */
export const MAX_REASON_LENGTH = 500;
export const clip = (text: string) => (text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text);

export interface Transition {
  sendId: string;
  to: SendStatus;
  retry?: boolean;
  /** Written to Send.statusReason (BLOCKED, FAILED, CANCELED, retries) and to the event. */
  reason?: string | null;
  provider?: string | null;
  providerMessageId?: string | null;
  channelConfigId?: string | null;
  /** For retries and failover: not before this time. */
  nextAttemptAt?: Date | null;
  /** Failover starts the next configuration's attempt count afresh. */
  resetConfigAttempts?: boolean;
  /** The dispatcher's own claim: applies only if no other worker has claimed the send since. */
  attempt?: number;
  at?: Date;
  /** When the provider says the change happened (its report's time), kept in the event log. */
  providerAt?: Date | null;
}

export interface Moved {
  sendId: string;
  tenantId: string;
  campaignId: string | null;
  status: SendStatus;
  /** The event's position in the tenant's event log. */
  position: bigint;
}

/** RANK as SQL, so the guarded UPDATE and canMove cannot disagree. */
const RANK_SQL = (column: string) => `CASE ${column} ${Object.entries(RANK).map(([status, rank]) => `WHEN '${status}' THEN ${rank}`).join(' ')} END`;

/**
 * Applies transitions in one statement (and their events in the same one); each applies only if
 * its send is in a status `canMove` allows, so a late, repeated or raced report changes nothing.
 * Returns the sends that moved.
 */
export async function moveMany(db: PrismaClient | Tx, transitions: Transition[]): Promise<Moved[]> {
  if (transitions.length === 0) return [];
  const now = new Date();
  const col = <T>(pick: (t: Transition) => T) => transitions.map(pick);
  const rows = await db.$queryRawUnsafe<Array<{ id: string; tenantId: string; campaignId: string | null; status: SendStatus; position: bigint }>>(
    `WITH v AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[], $9::boolean[], $10::timestamptz[], $11::uuid[], $12::int[], $13::timestamptz[])
         AS v("sendId", "to", "retry", "reason", "provider", "providerMessageId", "channelConfigId", "nextAttemptAt", "resetConfigAttempts", "at", "eventId", "attempt", "providerAt")
     ), moved AS (
       UPDATE "Send" s SET
         "status" = v."to"::"SendStatus",
         "statusReason" = v."reason",
         "provider" = COALESCE(v."provider", s."provider"),
         "providerMessageId" = COALESCE(v."providerMessageId", s."providerMessageId"),
         "channelConfigId" = COALESCE(v."channelConfigId", s."channelConfigId"),
         "nextAttemptAt" = v."nextAttemptAt",
         "configAttempts" = CASE WHEN v."resetConfigAttempts" THEN 0 ELSE s."configAttempts" END,
         "leaseUntil" = NULL,
         "updatedAt" = v."at"
       FROM v
       WHERE s."id" = v."sendId" AND (v."attempt" IS NULL OR s."attempts" = v."attempt") AND (
         (v."retry" AND v."to" = 'QUEUED' AND s."status" = 'SENDING')
         OR (NOT v."retry" AND ${RANK_SQL('s."status"::text')} < ${RANK_SQL('v."to"')} AND (v."to" <> 'CANCELED' OR s."status" = 'QUEUED'))
       )
       RETURNING s."id", s."tenantId", s."campaignId", s."status", s."provider", v."reason", v."at", v."eventId", v."providerAt"
     ), events AS (
       -- In tenant order: the position trigger locks each tenant's counter in that order.
       INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "at", "provider", "detail", "providerAt")
       SELECT "eventId", "tenantId", "id", "status", "at", "provider", "reason", "providerAt" FROM moved ORDER BY "tenantId"
       RETURNING "sendId", "position"
     )
     SELECT m."id", m."tenantId", m."campaignId", m."status"::text AS "status", e."position" FROM moved m JOIN events e ON e."sendId" = m."id"`,
    col((t) => t.sendId),
    col((t) => t.to),
    col((t) => t.retry ?? false),
    col((t) => (t.reason == null ? null : clip(t.reason))),
    col((t) => t.provider ?? null),
    col((t) => t.providerMessageId ?? null),
    col((t) => t.channelConfigId ?? null),
    col((t) => t.nextAttemptAt ?? null),
    col((t) => t.resetConfigAttempts ?? false),
    col((t) => t.at ?? now),
    col(() => newUuidV7()),
    col((t) => t.attempt ?? null),
    col((t) => t.providerAt ?? null),
  );
  return rows.map((r) => ({ sendId: r.id, tenantId: r.tenantId, campaignId: r.campaignId, status: r.status, position: r.position }));
}

/** One transition; null when the send was not in a status that allows it. */
export async function move(db: PrismaClient | Tx, t: Transition): Promise<Moved | null> {
  return (await moveMany(db, [t]))[0] ?? null;
}
