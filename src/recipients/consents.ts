// Consent records: the current state per recipient, channel and purpose (what the send
// gate reads), and every grant and withdrawal kept as history, never deleted.
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/client.ts';
import { Channel } from '../db/generated/enums.ts';
import { AppError, badInput, notFound } from '../errors.ts';
import { recordAudit } from '../privacy/audit.ts';
import { parseInput, text } from '../validation.ts';

export interface ConsentDeps {
  prisma: PrismaClient;
}

const grantInput = z.object({
  recipientId: z.string(),
  channel: z.enum(Channel),
  purpose: text(64),
  source: text(200),
  proof: text(5000).nullish(),
});

const withdrawInput = z.object({ recipientId: z.string(), channel: z.enum(Channel), purpose: text(64) });

export async function recordConsent(deps: ConsentDeps, actor: Principal, raw: z.input<typeof grantInput>) {
  const input = parseInput(grantInput, raw);
  return deps.prisma.$transaction(async (tx) => {
    const recipient = await tx.recipient.findUnique({ where: { id: input.recipientId }, select: { tenantId: true } });
    if (!recipient) throw notFound('Recipient');
    const { tenantId } = recipient;
    const purpose = await tx.purpose.findUnique({ where: { tenantId_key: { tenantId, key: input.purpose } }, select: { id: true } });
    if (!purpose) throw badInput('purpose', `unknown purpose "${input.purpose}"; define it with definePurpose first`);
    const now = new Date();
    const state = { granted: true, source: input.source, proof: input.proof ?? null, recordedAt: now, recordedBy: actor.actor, withdrawnAt: null };
    const consent = await tx.consent.upsert({
      where: { recipientId_channel_purposeKey: { recipientId: input.recipientId, channel: input.channel, purposeKey: input.purpose } },
      create: { tenantId, recipientId: input.recipientId, channel: input.channel, purposeKey: input.purpose, ...state },
      update: state,
    });
    await tx.consentEvent.create({
      data: { tenantId, consentId: consent.id, granted: true, source: input.source, proof: input.proof ?? null, recordedBy: actor.actor, at: now },
    });
    await recordAudit(tx, { tenantId, actor: actor.actor, action: 'consent.granted', targetType: 'Recipient', targetId: input.recipientId });
    return consent;
  });
}

export async function withdrawConsent(deps: ConsentDeps, actor: Principal, raw: z.input<typeof withdrawInput>) {
  const input = parseInput(withdrawInput, raw);
  return deps.prisma.$transaction(async (tx) => {
    const consent = await tx.consent.findUnique({
      where: { recipientId_channel_purposeKey: { recipientId: input.recipientId, channel: input.channel, purposeKey: input.purpose } },
    });
    if (!consent) throw new AppError('NOT_FOUND', `No consent recorded for ${input.channel} / ${input.purpose}`);
    if (consent.withdrawnAt) return consent;
    const now = new Date();
    const withdrawn = await tx.consent.update({ where: { id: consent.id }, data: { granted: false, withdrawnAt: now } });
    await tx.consentEvent.create({
      data: { tenantId: consent.tenantId, consentId: consent.id, granted: false, source: consent.source, proof: null, recordedBy: actor.actor, at: now },
    });
    await recordAudit(tx, { tenantId: consent.tenantId, actor: actor.actor, action: 'consent.withdrawn', targetType: 'Recipient', targetId: input.recipientId });
    return withdrawn;
  });
}
