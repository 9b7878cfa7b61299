// What createSend and createCampaign share: the input shape, the checks made before anything
// is written, and the tenant's channels a send needs.
import { z } from 'zod';
import type { Tx } from '../db/client.ts';
import type { MessageChannelKind } from '../channels/contract.ts';
import { AppError, badInput } from '../errors.ts';
import { text } from '../validation.ts';
import { checkPlaceholders, messageInput } from './message.ts';

/** Further ahead than this is more likely a mistake than a plan. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;
/** A time this far in the past is the caller's clock running behind ("now"); further back is a mistake. */
const MAX_SCHEDULE_SKEW_MS = 5 * 60 * 1000;

const MESSAGE_CHANNELS = ['SMS', 'EMAIL', 'PUSH'] as const satisfies readonly MessageChannelKind[];

const giftInput = z.object({
  pluginId: z.string().min(1).max(100).nullish(),
  offerId: text(200),
  expiresAt: z.date().nullish(),
});

export const sendShape = {
  channel: z.enum(MESSAGE_CHANNELS, { error: 'must be SMS, EMAIL or PUSH (gifts travel with a message: use the gift field)' }),
  purpose: text(64),
  message: messageInput,
  gift: giftInput.nullish(),
  idempotencyKey: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters').nullish(),
  scheduledAt: z.date().nullish(),
};

type SendRequest = z.output<z.ZodObject<typeof sendShape>>;

/** Checks what the shape alone cannot: placeholders, the schedule and the gift's expiry. */
export function checkSendRequest(input: SendRequest, now = Date.now()): void {
  checkPlaceholders(input.message, Boolean(input.gift));
  if (input.scheduledAt && input.scheduledAt.getTime() > now + MAX_SCHEDULE_AHEAD_MS) throw badInput('scheduledAt', 'must be within a year');
  if (input.scheduledAt && input.scheduledAt.getTime() < now - MAX_SCHEDULE_SKEW_MS) throw badInput('scheduledAt', 'is in the past; leave it out to send now');
  if (input.gift?.expiresAt && input.gift.expiresAt.getTime() <= now) throw badInput('gift.expiresAt', 'must be in the future');
}

/** Refuses when the tenant has no enabled channel of this kind (and no COUPON channel for a gift). */
export async function requireChannels(tx: Tx, tenantId: string, channel: MessageChannelKind, gift: SendRequest['gift']): Promise<void> {
  const configs = await tx.channelConfig.findMany({
    where: { tenantId, enabled: true, channel: { in: gift ? [channel, 'COUPON'] : [channel] } },
    select: { channel: true, pluginId: true },
  });
  if (!configs.some((c) => c.channel === channel)) throw new AppError('NO_CHANNEL_CONFIGURED', `No enabled ${channel} channel is configured for this tenant (configureChannel)`);
  if (gift && !configs.some((c) => c.channel === 'COUPON' && (!gift.pluginId || c.pluginId === gift.pluginId))) {
    throw new AppError('NO_CHANNEL_CONFIGURED', gift.pluginId ? `The COUPON plugin ${gift.pluginId} is not configured and enabled for this tenant` : 'No enabled COUPON channel is configured for gifts');
  }
}

/** The recipient column that tells whether an address for the channel exists, without decrypting it. */
export const ADDRESS_COLUMN = { SMS: 'phoneIndex', EMAIL: 'emailIndex', PUSH: 'pushTokensEnc' } as const satisfies Record<MessageChannelKind, string>;
export const ADDRESS_NAME = { SMS: 'phone number', EMAIL: 'e-mail address', PUSH: 'push token' } as const satisfies Record<MessageChannelKind, string>;
