// API keys: 256 random bits shown once, stored only as a SHA-256 hash, bound to a role
// and (except platform keys) to one tenant, revocable.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../db/client.ts';
import { Role } from '../db/generated/enums.ts';
import { AppError, notFound } from '../errors.ts';
import { recordAudit } from '../privacy/audit.ts';
import { parseInput, text } from '../validation.ts';
import type { Principal } from './principal.ts';

export const API_KEY_PREFIX = 'sk_';

/** For the records of processing (GDPR Art. 32). */
export const API_KEY_MEASURE = 'Access by API keys (256 random bits, stored only as SHA-256 hashes, revocable) or signed tokens, each bound to a role in one tenant';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const createInput = z.object({
  tenantId: z.string().nullable(),
  name: text(200),
  role: z.enum(Role),
});

export interface ApiKeyDeps {
  prisma: PrismaClient;
}

export async function createApiKey(
  { prisma }: ApiKeyDeps,
  actor: Principal,
  input: { tenantId: string | null; name: string; role: Role },
) {
  const { tenantId, name, role } = parseInput(createInput, input);
  if ((role === 'PLATFORM_ADMIN') !== (tenantId === null)) {
    throw new AppError(
      'BAD_USER_INPUT',
      role === 'PLATFORM_ADMIN' ? 'tenantId: must be null for a PLATFORM_ADMIN key' : 'tenantId: is required for a tenant role',
      { field: 'tenantId' },
    );
  }
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const apiKey = await prisma.$transaction(async (tx) => {
    if (tenantId && !(await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw notFound('Tenant');
    const key = await tx.apiKey.create({ data: { tenantId, name, role, secretHash: hashSecret(secret), createdBy: actor.actor } });
    await recordAudit(tx, { tenantId, actor: actor.actor, action: 'apiKey.created', targetType: 'ApiKey', targetId: key.id });
    return key;
  });
  return { apiKey, secret };
}

export async function revokeApiKey({ prisma }: ApiKeyDeps, actor: Principal, { id }: { id: string }) {
  return prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id } });
    if (!key) throw notFound('API key');
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { tenantId: key.tenantId, actor: actor.actor, action: 'apiKey.revoked', targetType: 'ApiKey', targetId: id });
    return revoked;
  });
}
