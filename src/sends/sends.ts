// Creating and cancelling single sends. Nothing is queued before the consent gate has said
// yes; a refusal is audited and raised with its code.
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Channel } from '../db/generated/enums.ts';
import type { EventBus } from '../events/bus.ts';
import { AppError, badInput, notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import type { Logger } from '../log.ts';
import { recordAudit } from '../privacy/audit.ts';
import { mayContact } from '../privacy/consent.ts';
import type { TenantKeyStore } from '../privacy/tenant-keys.ts';
import { parseInput } from '../validation.ts';
import { oncePerKey, requestHash } from './idempotency.ts';
import { sealMessage } from './message.ts';
import { enqueueCommitted, type DispatchQueue } from './queue.ts';
import { ADDRESS_COLUMN, ADDRESS_NAME, checkSendRequest, requireChannels, sendShape } from './send-request.ts';
import { move } from './status.ts';

export interface SendDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  queue: DispatchQueue;
  log: Logger;
  /** Woken after each event written here. */
  events: Pick<EventBus, 'publish'>;
}

const createSendInput = z.object({ recipientId: z.string(), ...sendShape });
/** The channel is checked here (COUPON is not a delivery channel), so callers may pass any. */
export type CreateSendInput = Omit<z.input<typeof createSendInput>, 'channel'> & { channel: Channel };

export async function createSend(deps: SendDeps, actor: Principal, raw: CreateSendInput): Promise<{ id: string }> {
  const input = parseInput(createSendInput, raw);
  checkSendRequest(input);
  const { recipientId, idempotencyKey, ...request } = input;

  const recipient = await deps.prisma.recipient.findUnique({ where: { id: recipientId }, select: { tenantId: true, phoneIndex: true, emailIndex: true, pushTokensEnc: true } });
  if (!recipient) throw notFound('Recipient');
  const { tenantId } = recipient;

  const previous = {
    find: () => deps.prisma.send.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: idempotencyKey! } }, select: { id: true, requestHash: true, createdAt: true } }),
    release: (id: string) => deps.prisma.send.update({ where: { id }, data: { idempotencyKey: null } }),
  };
  const hash = requestHash({ recipientId, ...request });
  const created = await oncePerKey(idempotencyKey, hash, previous, async () => {
    const decision = await mayContact(deps.prisma, { tenantId, recipientId, channel: input.channel, purpose: input.purpose });
    if (!decision.allowed) {
      await recordAudit(deps.prisma, { tenantId, actor: actor.actor, action: `send.refused.${decision.code}`, targetType: 'Recipient', targetId: recipientId });
      throw new AppError(decision.code, decision.reason);
    }
    await requireChannels(deps.prisma, tenantId, input.channel, input.gift);
    if (!recipient[ADDRESS_COLUMN[input.channel]]) throw badInput('recipientId', `the recipient has no ${ADDRESS_NAME[input.channel]} for ${input.channel}`);

    const keys = await deps.tenantKeys.get(tenantId);
    const id = newUuidV7();
    const { events } = await deps.prisma.$transaction(async (tx) => {
      const send = await tx.send.create({
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
        select: { events: { select: { position: true } } },
      });
      await recordAudit(tx, { tenantId, actor: actor.actor, action: 'send.created', targetType: 'Send', targetId: id });
      return send;
    });
    void deps.events.publish(tenantId, events[0]!.position);
    await enqueueCommitted(deps, [{ sendId: id, attempt: 0, runAt: input.scheduledAt }]);
    return { id };
  });
  return created;
}

export async function cancelSend(deps: Pick<SendDeps, 'prisma' | 'events'>, actor: Principal, input: { id: string }): Promise<{ id: string }> {
  const sendId = input.id;
  const send = await deps.prisma.send.findUnique({ where: { id: sendId }, select: { tenantId: true } });
  if (!send) throw notFound('Send');
  const moved = await deps.prisma.$transaction(async (tx) => {
    const done = await move(tx, { sendId, to: 'CANCELED', reason: 'Cancelled on request' });
    if (done) await recordAudit(tx, { tenantId: send.tenantId, actor: actor.actor, action: 'send.canceled', targetType: 'Send', targetId: sendId });
    return done;
  });
  if (moved) void deps.events.publish(moved.tenantId, moved.position);
  if (!moved) {
    const now = await deps.prisma.send.findUniqueOrThrow({ where: { id: sendId }, select: { status: true } });
    if (now.status === 'CANCELED') return { id: sendId };
    throw new AppError('BAD_USER_INPUT', `Only a QUEUED or scheduled send can be cancelled; this one is ${now.status}${now.status === 'SENDING' || now.status === 'SENT' ? ' and already with the provider' : ''}`, { field: 'id' });
  }
  return { id: sendId };
}
