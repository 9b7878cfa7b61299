// The gift of a send, issued once: the Gift row it leaves makes every later attempt of the
// send reuse the same code instead of issuing another.
import { ProviderError, type CouponPlugin, type RecipientData } from '../../channels/contract.ts';
import type { OpenChannel } from '../../channels/open-channels.ts';
import { pickRecipientFields } from '../../channels/recipient-fields.ts';
import type { PrismaClient } from '../../db/client.ts';
import { publishWritten, type EventBus } from '../../events/bus.ts';
import type { TenantKeys } from '../../privacy/tenant-keys.ts';
import { newUuidV7 } from '../../ids.ts';
import { openGiftValue, sealGiftValue } from '../gift-codes.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { ClaimedSend } from './claims.ts';
import { FinalFailure } from './retry-policy.ts';

export interface GiftDeps {
  prisma: PrismaClient;
  rateLimiter: RateLimiter;
  events: Pick<EventBus, 'publish'>;
}

export interface GiftValues {
  code: string | null;
  url: string | null;
}

/**
 * The send's gift: the one an earlier attempt issued, or a new one from the requested COUPON
 * plugin (else the first by priority). A retryable failure retries the whole send; a permanent
 * one fails it without a message.
 */
export async function issueGift(deps: GiftDeps, send: ClaimedSend, keys: TenantKeys, to: RecipientData, coupons: OpenChannel<CouponPlugin>[], signal: AbortSignal): Promise<GiftValues> {
  if (send.gift) return { code: openGiftValue(keys, send.id, 'code', send.gift.codeEnc), url: openGiftValue(keys, send.id, 'url', send.gift.urlEnc) };
  const coupon = send.giftPluginId ? coupons.find((c) => c.pluginId === send.giftPluginId) : coupons[0];
  if (!coupon) throw new FinalFailure(`No enabled COUPON channel${send.giftPluginId ? ` for ${send.giftPluginId}` : ''} is configured`);
  if (coupon.rateLimit) await deps.rateLimiter.acquire(`channel:${coupon.id}`, coupon.rateLimit, signal);
  let result;
  try {
    result = await coupon.plugin.issue(
      { sendId: send.id, idempotencyKey: `gift:${send.id}`, offerId: send.giftOfferId!, expiresAt: send.giftExpiresAt, to: pickRecipientFields(to, coupon.plugin.recipientFields) },
      { ...coupon.context, signal },
    );
  } catch (err) {
    if (err instanceof ProviderError && !err.retryable) throw new FinalFailure(`The gift could not be issued by ${coupon.pluginId}: ${err.reason}`);
    throw err;
  }
  // The gift and its ISSUED event (the send's status copied) land together.
  const [, written] = await deps.prisma.$transaction([
    deps.prisma.gift.create({
      data: {
        tenantId: send.tenantId,
        sendId: send.id,
        pluginId: coupon.pluginId,
        channelConfigId: coupon.id,
        offerId: send.giftOfferId!,
        providerGiftId: result.providerGiftId,
        codeEnc: result.code ? sealGiftValue(keys, send.id, 'code', result.code) : null,
        urlEnc: result.url ? sealGiftValue(keys, send.id, 'url', result.url) : null,
        expiresAt: result.expiresAt ?? send.giftExpiresAt,
      },
    }),
    deps.prisma.$queryRawUnsafe<Array<{ tenantId: string; position: bigint }>>(
      `INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "giftStatus", "at", "provider")
       SELECT $2::uuid, s."tenantId", s."id", s."status", 'ISSUED', now(), $3 FROM "Send" s WHERE s."id" = $1::uuid
       RETURNING "tenantId", "position"`,
      send.id,
      newUuidV7(),
      coupon.pluginId,
    ),
  ]);
  publishWritten(deps.events, written);
  return { code: result.code ?? null, url: result.url ?? null };
}
