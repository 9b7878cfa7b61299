// Campaigns: one message to many recipients. The consent gate runs per recipient over one
// query's facts; refused recipients become BLOCKED sends with the reason, the rest QUEUED,
// all written with one statement per table, so ten thousand recipients take seconds.
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { MessageChannelKind } from '../channels/contract.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Channel, LegalBasis, SendStatus } from '../db/generated/enums.ts';
import { AppError, badInput } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { recordAudit } from '../privacy/audit.ts';
import { contactFacts, decide, type ContactRow } from '../privacy/consent.ts';
import { parseInput, text } from '../validation.ts';
import { oncePerKey, requestHash } from './idempotency.ts';
import { sealMessage } from './message.ts';
import { enqueueCommitted } from './queue.ts';
import { ADDRESS_COLUMN, ADDRESS_NAME, checkSendRequest, requireChannels, sendShape } from './send-request.ts';
import type { SendDeps } from './sends.ts';

/** One campaign's size limit; larger audiences are split into several campaigns. */
export const MAX_CAMPAIGN_RECIPIENTS = 100_000;

const createCampaignInput = z.object({
  tenantId: z.string(),
  name: text(200),
  recipientIds: z.array(z.string()).min(1, 'must name at least one recipient (or be null for all)').max(MAX_CAMPAIGN_RECIPIENTS, `at most ${MAX_CAMPAIGN_RECIPIENTS} recipients`).nullish(),
  ...sendShape,
});
export type CreateCampaignInput = Omit<z.input<typeof createCampaignInput>, 'channel'> & { channel: Channel };

/** A recipient with the gate's facts; the purpose's legal basis is the campaign's. */
type AudienceRow = Omit<ContactRow, 'legalBasis'> & { id: string; hasAddress: boolean };

export async function createCampaign(deps: SendDeps, actor: Principal, raw: CreateCampaignInput): Promise<{ id: string }> {
  const input = parseInput(createCampaignInput, raw);
  checkSendRequest(input);
  const { tenantId, idempotencyKey, ...request } = input;
  const previous = {
    find: () => deps.prisma.campaign.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: idempotencyKey! } }, select: { id: true, requestHash: true, createdAt: true } }),
    release: (id: string) => deps.prisma.campaign.update({ where: { id }, data: { idempotencyKey: null } }),
  };
  const hash = requestHash(request);
  return oncePerKey(idempotencyKey, hash, previous, () => writeCampaign(deps, actor, input, hash));
}

async function writeCampaign(deps: SendDeps, actor: Principal, input: z.output<typeof createCampaignInput>, hash: string): Promise<{ id: string }> {
  const { tenantId, idempotencyKey } = input;
  const purpose = await deps.prisma.purpose.findUnique({ where: { tenantId_key: { tenantId, key: input.purpose } }, select: { legalBasis: true } });
  if (!purpose) throw badInput('purpose', `unknown purpose "${input.purpose}"; define it with definePurpose first`);
  await requireChannels(deps.prisma, tenantId, input.channel, input.gift);

  const audience = await loadAudience(deps.prisma, tenantId, input.channel, input.purpose, input.recipientIds ?? null);
  if (audience.length === 0) throw badInput('recipientIds', 'the tenant has no recipients to send to');

  const keys = await deps.tenantKeys.get(tenantId);
  const campaignId = newUuidV7();
  const sends = audience.map((r) => {
    const { status, reason } = gate(r, purpose.legalBasis, input.channel, input.purpose);
    return { id: newUuidV7(), eventId: newUuidV7(), recipientId: r.id, status, reason };
  });

  const head = await deps.prisma.$transaction(async (tx) => {
    await tx.campaign.create({
      data: {
        id: campaignId,
        tenantId,
        name: input.name,
        channel: input.channel,
        purposeKey: input.purpose,
        messageEnc: sealMessage(keys, 'Campaign', campaignId, input.message),
        giftPluginId: input.gift?.pluginId ?? null,
        giftOfferId: input.gift?.offerId ?? null,
        giftExpiresAt: input.gift?.expiresAt ?? null,
        scheduledAt: input.scheduledAt ?? null,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: idempotencyKey ? hash : null,
        createdBy: actor.actor,
      },
    });
    // One statement for every send and one for their first events, however large the audience.
    await tx.$executeRawUnsafe(
      `INSERT INTO "Send" ("id", "tenantId", "recipientId", "campaignId", "channel", "purposeKey", "giftPluginId", "giftOfferId", "giftExpiresAt",
         "status", "statusReason", "scheduledAt", "nextAttemptAt", "createdBy", "createdAt", "updatedAt")
       SELECT v."id", $2::uuid, v."recipientId", $3::uuid, $4::"Channel", $5, $6, $7, $8::timestamptz,
         v."status"::"SendStatus", v."reason", $9::timestamptz, $9::timestamptz, $10, now(), now()
       FROM unnest($1::uuid[], $11::uuid[], $12::text[], $13::text[]) AS v("id", "recipientId", "status", "reason")`,
      sends.map((s) => s.id),
      tenantId,
      campaignId,
      input.channel,
      input.purpose,
      input.gift?.pluginId ?? null,
      input.gift?.offerId ?? null,
      input.gift?.expiresAt ?? null,
      input.scheduledAt ?? null,
      actor.actor,
      sends.map((s) => s.recipientId),
      sends.map((s) => s.status),
      sends.map((s) => s.reason),
    );
    const [written] = await tx.$queryRawUnsafe<Array<{ position: bigint }>>(
      `WITH events AS (
         INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "at", "detail")
         SELECT v."eventId", $2::uuid, v."sendId", v."status"::"SendStatus", now(), v."reason"
         FROM unnest($1::uuid[], $3::uuid[], $4::text[], $5::text[]) AS v("eventId", "sendId", "status", "reason")
         RETURNING "position"
       )
       SELECT max("position") AS "position" FROM events`,
      sends.map((s) => s.eventId),
      tenantId,
      sends.map((s) => s.id),
      sends.map((s) => s.status),
      sends.map((s) => s.reason),
    );
    const blocked = sends.filter((s) => s.status === 'BLOCKED').length;
    await recordAudit(
      tx,
      { tenantId, actor: actor.actor, action: 'campaign.created', targetType: 'Campaign', targetId: campaignId },
      ...(blocked ? [{ tenantId, actor: actor.actor, action: 'campaign.recipientsBlocked', targetType: 'Campaign', targetId: campaignId }] : []),
    );
    return written!.position;
  });
  void deps.events.publish(tenantId, head);
  await enqueueCommitted(
    deps,
    sends.filter((s) => s.status === 'QUEUED').map((s) => ({ sendId: s.id, attempt: 0, runAt: input.scheduledAt })),
  );
  return { id: campaignId };
}

/** The recipients with the facts the consent gate needs, in one query. Unknown ids are refused by position. */
async function loadAudience(prisma: PrismaClient, tenantId: string, channel: MessageChannelKind, purposeKey: string, recipientIds: string[] | null): Promise<AudienceRow[]> {
  const ids = recipientIds ? [...new Set(recipientIds)] : null;
  const rows = await prisma.$queryRawUnsafe<AudienceRow[]>(
    `SELECT r."id", r."restricted", r."objected", (r."${ADDRESS_COLUMN[channel]}" IS NOT NULL) AS "hasAddress",
       c."granted" AS "consentGranted", c."withdrawnAt" AS "consentWithdrawnAt"
     FROM "Recipient" r
     LEFT JOIN "Consent" c ON c."recipientId" = r."id" AND c."channel" = $2::"Channel" AND c."purposeKey" = $3
     WHERE r."tenantId" = $1::uuid ${ids ? 'AND r."id" = ANY($4::uuid[])' : ''}
     ORDER BY r."id"
     LIMIT ${MAX_CAMPAIGN_RECIPIENTS + 1}`,
    tenantId,
    channel,
    purposeKey,
    ...(ids ? [ids] : []),
  );
  if (!ids && rows.length > MAX_CAMPAIGN_RECIPIENTS) throw badInput('recipientIds', `the tenant has more than ${MAX_CAMPAIGN_RECIPIENTS} recipients; name them in several campaigns`);
  if (ids && rows.length < ids.length) {
    const found = new Set(rows.map((r) => r.id));
    const index = recipientIds!.findIndex((id) => !found.has(id));
    throw new AppError('NOT_FOUND', `recipientIds.${index}: Recipient not found`, { field: `recipientIds.${index}` });
  }
  return rows;
}

/** QUEUED, or BLOCKED / FAILED with the reason, for one recipient of the campaign. */
function gate(r: AudienceRow, legalBasis: LegalBasis, channel: MessageChannelKind, purpose: string): { status: SendStatus; reason: string | null } {
  const decision = decide(contactFacts({ ...r, legalBasis }, purpose, channel));
  if (!decision.allowed) return { status: 'BLOCKED', reason: `${decision.code}: ${decision.reason}` };
  if (!r.hasAddress) return { status: 'FAILED', reason: `The recipient has no ${ADDRESS_NAME[channel]}` };
  return { status: 'QUEUED', reason: null };
}
