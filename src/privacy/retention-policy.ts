// A tenant's retention policy: how long send content, inactive recipients and the audit log
// are kept. The defaults are the columns' defaults in prisma/schema.prisma (the seed policy).
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/client.ts';
import { notFound } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { recordAudit } from './audit.ts';

export interface RetentionPolicy {
  sendDataDays: number;
  inactiveRecipientDays: number;
  auditLogDays: number;
}

/** The days each period may be set to, inclusive. */
export const RETENTION_BOUNDS: Record<keyof RetentionPolicy, { min: number; max: number }> = {
  sendDataDays: { min: 1, max: 3650 },
  inactiveRecipientDays: { min: 30, max: 3650 },
  auditLogDays: { min: 30, max: 3650 },
};

const days = ({ min, max }: { min: number; max: number }) => {
  const message = `must be a whole number of days from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message).nullish();
};

const policyInput = z.object({
  sendDataDays: days(RETENTION_BOUNDS.sendDataDays),
  inactiveRecipientDays: days(RETENTION_BOUNDS.inactiveRecipientDays),
  auditLogDays: days(RETENTION_BOUNDS.auditLogDays),
});

export const POLICY_SELECT = { sendDataDays: true, inactiveRecipientDays: true, auditLogDays: true } as const;

export interface RetentionPolicyDeps {
  prisma: PrismaClient;
}

/** Sets the periods given (null or absent: unchanged), all or none, and audits the new policy. */
export async function updateRetentionPolicy(
  { prisma }: RetentionPolicyDeps,
  actor: Principal,
  input: { tenantId: string } & { [Period in keyof RetentionPolicy]?: number | null },
): Promise<RetentionPolicy> {
  const { tenantId, ...periods } = input;
  const parsed = parseInput(policyInput, periods);
  const changes = Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== null && value !== undefined));
  return prisma.$transaction(async (tx) => {
    if (!(await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw notFound('Tenant');
    const policy = await tx.tenant.update({ where: { id: tenantId }, data: changes, select: POLICY_SELECT });
    await recordAudit(tx, { tenantId, actor: actor.actor, action: 'retention.policy.updated', targetType: 'Tenant', targetId: tenantId, detail: { ...policy } });
    return policy;
  });
}
