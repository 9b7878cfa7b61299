import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../src/privacy/crypto.ts';
import { rewrapTenantKeys } from '../src/privacy/rotate-keys.ts';
import { TenantKeyStore } from '../src/privacy/tenant-keys.ts';
import { decryptRecipient } from '../src/recipients/sealed-fields.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ MASTER_KEY: oldKey.toString('base64'), MASTER_KEY_VERSION: '1' });
});
afterAll(() => t.close());

describe('master key rotation', () => {
  it('re-wraps tenant data keys so data stays readable under the new master key alone', async () => {
    const acme = await seedTenant(t, 'Acme');
    const { upsertRecipient } = ok(
      await t.exec(`mutation($t: ID!) { upsertRecipient(input: { tenantId: $t, externalId: "r1", phone: "+46701234567" }) { id } }`, { t: acme.id }),
    ) as { upsertRecipient: { id: string } };

    const rotated = new KeyRing(new Map([[1, oldKey], [2, newKey]]), 2);
    expect(await rewrapTenantKeys(t.app.prisma, rotated)).toBe(1);
    expect(await rewrapTenantKeys(t.app.prisma, rotated)).toBe(0);
    const tenant = await t.app.prisma.tenant.findUniqueOrThrow({ where: { id: decodeGlobalId(acme.id)!.id } });
    expect(tenant.masterKeyVersion).toBe(2);

    // Only the new master key from here on: the old one can be retired.
    const newOnly = new TenantKeyStore(t.app.prisma, new KeyRing(new Map([[2, newKey]]), 2));
    const row = await t.app.prisma.recipient.findUniqueOrThrow({ where: { id: decodeGlobalId(upsertRecipient.id)!.id } });
    expect(decryptRecipient(await newOnly.get(row.tenantId), row).phone).toBe('+46701234567');

    const oldOnly = new TenantKeyStore(t.app.prisma, new KeyRing(new Map([[1, oldKey]]), 1));
    await expect(oldOnly.get(row.tenantId)).rejects.toThrow(/master key version 2 is not configured/);
  });
});
