// Tenants (the data controllers) and their purposes of processing.
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/client.ts';
import { LegalBasis } from '../db/generated/enums.ts';
import { notFound } from '../errors.ts';
import type { KeyRing } from '../privacy/crypto.ts';
import { recordAudit } from '../privacy/audit.ts';
import { parseInput, text } from '../validation.ts';

export interface TenantDeps {
  prisma: PrismaClient;
  keyRing: KeyRing;
}

const createTenantInput = z.object({
  name: text(200),
  defaultCountry: z
    .string()
    .refine((code) => isSupportedCountry(code), 'must be an ISO 3166 alpha-2 code of a country with phone numbers, e.g. SE, NO, DE')
    .default('SE'),
});

export async function createTenant({ prisma, keyRing }: TenantDeps, actor: Principal, input: { name: string; defaultCountry?: string | null }) {
  const data = parseInput(createTenantInput, { ...input, defaultCountry: input.defaultCountry ?? undefined });
  const { wrapped, version } = keyRing.newDataKey();
  return prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.create({ data: { ...data, wrappedDataKey: wrapped, masterKeyVersion: version } });
    await recordAudit(tx, { tenantId: tenant.id, actor: actor.actor, action: 'tenant.created', targetType: 'Tenant', targetId: tenant.id });
    return tenant;
  });
}

const purposeInput = z.object({
  tenantId: z.string(),
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lower-case letters, digits, "_", "." or "-", starting with a letter or digit'),
  description: text(1000).nullish(),
  legalBasis: z.enum(LegalBasis),
});

/** Defines a purpose, or redefines it when the key exists (the change is audited). */
export async function definePurpose(
  { prisma }: Pick<TenantDeps, 'prisma'>,
  actor: Principal,
  input: { tenantId: string; key: string; description?: string | null; legalBasis: string },
) {
  const { tenantId, key, description, legalBasis } = parseInput(purposeInput, input);
  return prisma.$transaction(async (tx) => {
    if (!(await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw notFound('Tenant');
    const existing = await tx.purpose.findUnique({ where: { tenantId_key: { tenantId, key } }, select: { id: true } });
    const purpose = await tx.purpose.upsert({
      where: { tenantId_key: { tenantId, key } },
      create: { tenantId, key, description: description ?? null, legalBasis },
      update: { description: description ?? null, legalBasis },
    });
    await recordAudit(tx, {
      tenantId,
      actor: actor.actor,
      action: existing ? 'purpose.redefined' : 'purpose.defined',
      targetType: 'Purpose',
      targetId: key,
    });
    return purpose;
  });
}
