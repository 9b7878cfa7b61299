// Per-tenant keys: the data key (unwrapped from the tenant row, cached in memory) encrypts
// personal fields; keys derived from it (HKDF) make blind indexes and webhook tokens, so
// they survive master-key rotation, which only re-wraps the data key.
import { createHmac, hkdfSync } from 'node:crypto';
import type { PrismaClient, Tx } from '../db/client.ts';
import { notFound } from '../errors.ts';
import { open, seal, type KeyRing } from './crypto.ts';

/** For the records of processing (GDPR Art. 32). */
export const BLIND_INDEX_MEASURE = 'Exact search by phone number or e-mail address uses keyed hashes (HMAC-SHA-256 with a key per tenant, blind indexes), so no clear value is stored for lookups';

export interface TenantKeys {
  dataKey: Buffer;
  blindIndexKey: Buffer;
  tokenKey: Buffer;
}

export class TenantKeyStore {
  private readonly cache = new Map<string, TenantKeys>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly keyRing: KeyRing,
  ) {}

  /** The tenant's keys; `tx` lets callers inside a transaction avoid a second connection. */
  async get(tenantId: string, tx: Tx = this.prisma): Promise<TenantKeys> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { wrappedDataKey: true, masterKeyVersion: true } });
    if (!tenant) throw notFound('Tenant');
    const dataKey = this.keyRing.unwrap(tenant.wrappedDataKey, tenant.masterKeyVersion);
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
    const keys = { dataKey, blindIndexKey: derive('blind-index'), tokenKey: derive('webhook-token') };
    this.cache.set(tenantId, keys);
    return keys;
  }
}

/** Encrypts a personal field; `context` (e.g. 'Recipient.phone:<id>') binds the ciphertext to its place. */
export function encryptField(keys: TenantKeys, value: string, context: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(seal(keys.dataKey, Buffer.from(value, 'utf8'), context));
}

export function decryptField(keys: TenantKeys, sealed: Uint8Array, context: string): string {
  return open(keys.dataKey, sealed, context).toString('utf8');
}

/** Keyed hash for exact-match lookups of a normalised value, without storing the value. */
export function blindIndex(keys: TenantKeys, kind: string, normalisedValue: string): string {
  return createHmac('sha256', keys.blindIndexKey).update(`${kind}:${normalisedValue}`).digest('base64url');
}
