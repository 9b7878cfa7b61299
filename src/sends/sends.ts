// Creating and cancelling sends. Nothing is queued before the consent gate has said yes; a
// refusal is audited and raised with its code. Idempotency keys hold for 24 hours: the same
// key and input return the first send, the same key with other input is a conflict.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/client.ts';
import { AppError, badInput, notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { recordAudit } from '../privacy/audit.ts';
import { mayContact, type ChannelKind } from '../privacy/consent.ts';
import { parseInput, text } from '../validation.ts';
import { checkPlaceholders, messageInput, sealMessage } from './message.ts';
import { move } from './status.ts';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Further ahead than this is more likely a mistake than a plan. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export const giftInput = z.object({
  pluginId: z.string().min(1).max(100).nullish(),
  offerId: text(200),
  expiresAt: z.date().nullish(),
});

const deliveryChannel = z.enum(['SMS', 'EMAIL', 'PUSH'], {
  error: 'must be SMS, EMAIL or PUSH (gifts travel with a message: use the gift field)',
});

/** What createSend and createCampaign share. */
export const sendShape = {
  channel: deliveryChannel,
  purpose: text(64),
  message: messageInput,
  gift: giftInput.nullish(),
  idempotencyKey: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters').nullish(),
  scheduledAt: z.date().nullish(),
};

const createSendInput = z.object({ recipientId: z.string(), ...sendShape });
/** The channel is checked here (COUPON is not a delivery channel), so callers may pass any. */
export type CreateSendInput = Omit<z.input<typeof createSendInput>, 'channel'> & { channel: ChannelKind };

type SendShape = z.output<z.ZodObject<typeof sendShape>>;

/** Checks what the shape alone cannot: placeholders, the schedule and the gift's expiry. */
export function checkSendShape(input: SendShape, now = Date.now()): void {
  checkPlaceholders(input.message, Boolean(input.gift));
  if (input.scheduledAt && input.scheduledAt.getTime() > now + MAX_SCHEDULE_AHEAD_MS) throw badInput('scheduledAt', 'must be within a year');
  if (input.gift?.expiresAt && input.gift.expiresAt.getTime() <= now) throw badInput('gift.expiresAt', 'must be in the future');
}

/** Fingerprint of a request without its idempotency key, to tell a retry from a conflict. */
export function requestHash(input: Record<string, unknown>): string {
  const canonical = JSON.stringify(input, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x != null).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Refuses when the tenant has no enabled channel of this kind (and no COUPON channel for a gift). */
export async function requireChannels(tx: Tx, tenantId: string, channel: ChannelKind, gift: SendShape['gift']): Promise<void> {
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
export const ADDRESS_COLUMN = { SMS: 'phoneIndex', EMAIL: 'emailIndex', PUSH: 'pushTokensEnc' } as const;
export const ADDRESS_NAME = { SMS: 'phone number', EMAIL: 'e-mail address', PUSH: 'push token' } as const;

/**
 * A previous request under the same key: returned when the input is the same, a conflict when
 * not. Keys older than the window are released (cleared) so they can be used again.
 */
export async function replayIdempotent<T extends { id: string; requestHash: string | null; createdAt: Date }>(
  release: (id: string) => Promise<unknown>,
  existing: T | null,
  hash: string,
): Promise<T | null> {
  if (!existing) return null;
  if (Date.now() - existing.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) {
    await release(existing.id);
    return null;
  }
  if (existing.requestHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', 'This idempotencyKey was used within the last 24 hours with different input');
  return existing;
}

export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002';

export async function createSend(app: App, actor: Principal, raw: CreateSendInput): Promise<{ id: string }> {
  const input = parseInput(createSendInput, raw);
  checkSendShape(input);
  const { recipientId, idempotencyKey, ...request } = input;
  const hash = requestHash({ recipientId, ...request });

  const recipient = await app.prisma.recipient.findUnique({ where: { id: recipientId }, select: { tenantId: true, phoneIndex: true, emailIndex: true, pushTokensEnc: true } });
  if (!recipient) throw notFound('Recipient');
  const { tenantId } = recipient;

  const findPrevious = () =>
    app.prisma.send.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: idempotencyKey! } }, select: { id: true, requestHash: true, createdAt: true } });
  const release = (id: string) => app.prisma.send.update({ where: { id }, data: { idempotencyKey: null } });
  if (idempotencyKey) {
    const previous = await replayIdempotent(release, await findPrevious(), hash);
    if (previous) return previous;
  }

  const decision = await mayContact(app.prisma, { tenantId, recipientId, channel: input.channel, purpose: input.purpose });
  if (!decision.allowed) {
    await recordAudit(app.prisma, { tenantId, actor: actor.actor, action: `send.refused.${decision.code}`, targetType: 'Recipient', targetId: recipientId });
    throw new AppError(decision.code, decision.reason);
  }
  await requireChannels(app.prisma, tenantId, input.channel, input.gift);
  if (!recipient[ADDRESS_COLUMN[input.channel]]) throw badInput('recipientId', `the recipient has no ${ADDRESS_NAME[input.channel]} for ${input.channel}`);

  const keys = await app.tenantKeys.get(tenantId);
  const id = newUuidV7();
  try {
    await app.prisma.$transaction(async (tx) => {
      await tx.send.create({
        data: {
          id,
          tenantId,
          recipientId,
          channel: input.channel,
          purposeKey: input.purpose,
          messageEnc: sealMessage(keys, 'Send', id, input.message),
          giftPluginId: input.gift?.pluginId ?? null,
          giftOfferId: input.gift?.offerId ?? null,
          giftExpiresAt: input.gift?.expiresAt ?? null,
          scheduledAt: input.scheduledAt ?? null,
          nextAttemptAt: input.scheduledAt ?? null,
          idempotencyKey: idempotencyKey ?? null,
          requestHash: idempotencyKey ? hash : null,
          createdBy: actor.actor,
          events: { create: { tenantId, status: 'QUEUED', detail: input.scheduledAt ? `scheduled for ${input.scheduledAt.toISOString()}` : null } },
        },
      });
      await recordAudit(tx, { tenantId, actor: actor.actor, action: 'send.created', targetType: 'Send', targetId: id });
    });
  } catch (err) {
    // A concurrent request with the same key won the race: answer as its retry would be answered.
    if (idempotencyKey && isUniqueViolation(err)) {
      const previous = await replayIdempotent(release, await findPrevious(), hash);
      if (previous) return previous;
    }
    throw err;
  }
  await enqueueAfterCommit(app, [{ sendId: id, attempt: 0, runAt: input.scheduledAt }]);
  return { id };
}

/** The row is committed; if the queue is unreachable now, the sweeper enqueues it later. */
export async function enqueueAfterCommit(app: App, jobs: Parameters<App['queue']['enqueue']>[0]): Promise<void> {
  try {
    await app.queue.enqueue(jobs);
  } catch (err) {
    app.log.warn({ sends: jobs.length, err: { type: (err as Error).name } }, 'enqueue failed; the sweeper will pick the sends up');
  }
}

export async function cancelSend(app: App, actor: Principal, sendId: string): Promise<{ id: string }> {
  const send = await app.prisma.send.findUnique({ where: { id: sendId }, select: { tenantId: true, status: true } });
  if (!send) throw notFound('Send');
  const moved = await app.prisma.$transaction(async (tx) => {
    const done = await move(tx, { sendId, to: 'CANCELED', reason: 'Cancelled on request' });
    if (done) await recordAudit(tx, { tenantId: send.tenantId, actor: actor.actor, action: 'send.canceled', targetType: 'Send', targetId: sendId });
    return done;
  });
  if (!moved) {
    const now = await app.prisma.send.findUniqueOrThrow({ where: { id: sendId }, select: { status: true } });
    if (now.status === 'CANCELED') return { id: sendId };
    throw new AppError('BAD_USER_INPUT', `Only a QUEUED or scheduled send can be cancelled; this one is ${now.status}${now.status === 'SENDING' || now.status === 'SENT' ? ' and already with the provider' : ''}`, { field: 'id' });
  }
  return { id: sendId };
}
