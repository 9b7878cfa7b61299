// Claiming sends for dispatch. A claim is a guarded UPDATE: a send is taken only when it is
// QUEUED and due, or SENDING with a lease that ran out, so two workers never both dispatch
// it. The same statement records the SENDING event and reads what the attempt needs (gift,
// recipient, purpose and consent). Concurrent claims share one statement.
import { batched } from '../../batch.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { Channel, SendStatus } from '../../db/generated/enums.ts';
import { newUuidV7 } from '../../ids.ts';
import type { ContactRow } from '../../privacy/consent.ts';
import type { SealedRecipient } from '../../recipients/sealed-fields.ts';

/** What the dispatcher reads before it claims: enough to pick the channel and wait for its rate limit. */
export interface Peek {
  id: string;
  tenantId: string;
  channel: Channel;
  channelConfigId: string | null;
  status: SendStatus;
}

export interface ClaimedSend {
  id: string;
  tenantId: string;
  recipientId: string | null;
  campaignId: string | null;
  channel: Channel;
  purposeKey: string;
  messageEnc: Uint8Array | null;
  giftPluginId: string | null;
  giftOfferId: string | null;
  giftExpiresAt: Date | null;
  channelConfigId: string | null;
  /** Attempts over every configuration, this claim included; the claim's identity when its outcome is recorded. */
  attempts: number;
  /** Attempts on the current configuration, this claim included. */
  configAttempts: number;
  /** The position of the claim's SENDING event in the tenant's event log. */
  eventPosition: bigint;
  /** The claim took over a SENDING send whose lease ran out: the earlier attempt's outcome is unknown. */
  takeover: boolean;
  /** The gift issued by an earlier attempt, reused by this one. */
  gift: { providerGiftId: string; codeEnc: Uint8Array | null; urlEnc: Uint8Array | null } | null;
  /** Null once the recipient has been erased. */
  recipient: ClaimedRecipient | null;
}

/** The recipient with the consent gate's columns; `legalBasis` is null when the purpose no longer exists. */
export type ClaimedRecipient = SealedRecipient &
  Omit<ContactRow, 'legalBasis'> & { id: string; locale: string | null; legalBasis: ContactRow['legalBasis'] | null };

type ClaimRow = Omit<ClaimedSend, 'gift' | 'recipient'> &
  Omit<ClaimedRecipient, 'id' | 'tenantId'> & { providerGiftId: string | null; codeEnc: Uint8Array | null; urlEnc: Uint8Array | null; foundRecipientId: string | null };

function claimedSend(row: ClaimRow): ClaimedSend {
  const { providerGiftId, codeEnc, urlEnc, foundRecipientId, externalIdEnc, nameEnc, phoneEnc, emailEnc, pushTokensEnc, wrappedKey, locale, restricted, objected, legalBasis, consentGranted, consentWithdrawnAt, ...send } = row;
  const bytes = (value: Uint8Array | null) => (value ? new Uint8Array(value) : null);
  return {
    ...send,
    gift: providerGiftId ? { providerGiftId, codeEnc: bytes(codeEnc), urlEnc: bytes(urlEnc) } : null,
    recipient: foundRecipientId
      ? { id: foundRecipientId, tenantId: send.tenantId, externalIdEnc, nameEnc, phoneEnc, emailEnc, pushTokensEnc, wrappedKey, locale, restricted, objected, legalBasis, consentGranted, consentWithdrawnAt }
      : null,
  };
}

export interface SendClaims {
  peek(sendId: string): Promise<Peek | null>;
  /** The claimed send, or null when it is not claimable now (another worker has it, or it moved on). */
  claim(sendId: string, provider: string | null): Promise<ClaimedSend | null>;
  /** Extends the lease of a running claim; false when the claim is no longer the send's (taken over, or moved on). */
  renew(sendId: string, attempt: number): Promise<boolean>;
}

export function sendClaims(prisma: PrismaClient, leaseMs: number): SendClaims {
  const peeks = batched<string, Peek | null>(async (ids) => {
    const rows = await prisma.$queryRawUnsafe<Peek[]>(
      `SELECT "id", "tenantId", "channel"::text AS "channel", "channelConfigId", "status"::text AS "status" FROM "Send" WHERE "id" = ANY($1::uuid[])`,
      [...ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const claims = batched<{ id: string; provider: string | null }, ClaimedSend | null>(async (keys) => {
    const ids = keys.map((k) => k.id);
    const rows = await prisma.$queryRawUnsafe<ClaimRow[]>(
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS v("id", "eventId", "provider")
       ), prior AS (
         -- Every part of one statement sees the rows as they were before it: the status the claim found.
         SELECT "id", "status" FROM "Send" WHERE "id" = ANY($1::uuid[])
       ), claimed AS (
         UPDATE "Send" s SET "status" = 'SENDING', "attempts" = s."attempts" + 1, "configAttempts" = s."configAttempts" + 1,
           "provider" = COALESCE(v."provider", s."provider"), "leaseUntil" = now() + ($4::int * interval '1 millisecond'), "updatedAt" = now()
         FROM v
         WHERE s."id" = v."id" AND (
           (s."status" = 'QUEUED' AND (s."nextAttemptAt" IS NULL OR s."nextAttemptAt" <= now()))
           OR (s."status" = 'SENDING' AND s."leaseUntil" < now()))
         RETURNING s.*, v."eventId"
       ), events AS (
         INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "at", "provider", "detail")
         SELECT "eventId", "tenantId", "id", 'SENDING', now(), "provider", 'attempt ' || "attempts" FROM claimed ORDER BY "tenantId"
         RETURNING "sendId", "position"
       )
       SELECT c."id", c."tenantId", c."recipientId", c."campaignId", c."channel"::text AS "channel", c."purposeKey", c."messageEnc",
         c."giftPluginId", c."giftOfferId", c."giftExpiresAt", c."channelConfigId", c."attempts", c."configAttempts",
         ev."position" AS "eventPosition", (pr."status" = 'SENDING') AS "takeover", g."providerGiftId", g."codeEnc", g."urlEnc",
         r."id" AS "foundRecipientId", r."externalIdEnc", r."nameEnc", r."phoneEnc", r."emailEnc", r."pushTokensEnc", r."wrappedKey", r."locale",
         r."restricted", r."objected", p."legalBasis"::text AS "legalBasis", cs."granted" AS "consentGranted", cs."withdrawnAt" AS "consentWithdrawnAt"
       FROM claimed c
       JOIN prior pr ON pr."id" = c."id"
       JOIN events ev ON ev."sendId" = c."id"
       LEFT JOIN "Gift" g ON g."sendId" = c."id"
       LEFT JOIN "Recipient" r ON r."id" = c."recipientId"
       LEFT JOIN "Purpose" p ON p."tenantId" = c."tenantId" AND p."key" = c."purposeKey"
       LEFT JOIN "Consent" cs ON cs."recipientId" = c."recipientId" AND cs."channel" = c."channel" AND cs."purposeKey" = c."purposeKey"`,
      ids,
      ids.map(() => newUuidV7()),
      keys.map((k) => k.provider),
      leaseMs,
    );
    const byId = new Map(rows.map((row) => [row.id, claimedSend(row)]));
    // The same send twice in one batch (a duplicate job) is dispatched once.
    const seen = new Set<string>();
    return ids.map((id) => (seen.has(id) ? null : (seen.add(id), byId.get(id) ?? null)));
  });

  const renewals = batched<{ id: string; attempt: number }, boolean>(async (keys) => {
    const renewed = await prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE "Send" s SET "leaseUntil" = now() + ($3::int * interval '1 millisecond')
       FROM unnest($1::uuid[], $2::int[]) AS v("id", "attempt")
       WHERE s."id" = v."id" AND s."attempts" = v."attempt" AND s."status" = 'SENDING'
       RETURNING s."id"`,
      keys.map((k) => k.id),
      keys.map((k) => k.attempt),
      leaseMs,
    );
    const ids = new Set(renewed.map((r) => r.id));
    return keys.map((k) => ids.has(k.id));
  });

  return {
    peek: (sendId) => peeks.load(sendId),
    claim: (sendId, provider) => claims.load({ id: sendId, provider }),
    renew: (sendId, attempt) => renewals.load({ id: sendId, attempt }),
  };
}
