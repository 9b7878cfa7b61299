// What a JWT must carry to be accepted, and what of its memberships counts: an expiry within
// JWT_MAX_LIFETIME_SECONDS, Tenant ids only, and only tenants that exist.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';

const SECRET = 'another-test-only-hs256-secret-long-enough';
const key = new TextEncoder().encode(SECRET);
const VIEWER = `{ viewer { id memberships { role tenant { name } } } }`;
type ViewerData = { viewer: { id: string; memberships: Array<{ role: string; tenant: { name: string } }> } };

const token = (claims: Record<string, unknown>, expiresIn: string | null = '5m') => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-7').setIssuedAt();
  return (expiresIn ? jwt.setExpirationTime(expiresIn) : jwt).sign(key);
};

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let recipientId: string;
beforeAll(async () => {
  t = await createTestApp({ JWT_SECRET: SECRET, JWT_MAX_LIFETIME_SECONDS: '3600' });
  acme = await seedTenant(t, 'Acme');
  const created = ok(await t.exec(`mutation($t: ID!) { upsertRecipient(input: { tenantId: $t, externalId: "x-1" }) { id } }`, { t: acme.id })) as { upsertRecipient: { id: string } };
  recipientId = created.upsertRecipient.id;
});
afterAll(() => t.close());

describe('JWT claims', () => {
  it('refuses a token without an expiry, saying so', async () => {
    const res = await t.exec(VIEWER, {}, await token({}, null));
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors![0]!.message).toBe('Token must carry an expiry time (exp)');
  });

  it('refuses a token whose expiry lies beyond the configured maximum lifetime, and says expired when it is', async () => {
    const long = await t.exec(VIEWER, {}, await token({}, '2h'));
    expect(errorCodes(long)).toEqual(['UNAUTHENTICATED']);
    expect(long.errors![0]!.message).toContain('at most 3600 seconds ahead (JWT_MAX_LIFETIME_SECONDS)');
    const expired = await t.exec(VIEWER, {}, await token({}, '-1m'));
    expect(expired.errors![0]!.message).toBe('Token has expired');
    expect(ok(await t.exec<ViewerData, object>(VIEWER, {}, await token({}, '59m'))).viewer.id).toBe('user:user-7');
  });

  it('takes memberships only of Tenant ids: a global id of another type counts for nothing', async () => {
    const data = ok(await t.exec<ViewerData, object>(VIEWER, {}, await token({ memberships: [{ tenantId: recipientId, role: 'TENANT_ADMIN' }, { tenantId: acme.id, role: 'VIEWER' }] })));
    expect(data.viewer.memberships).toEqual([{ role: 'VIEWER', tenant: { name: 'Acme' } }]);
  });

  it('drops memberships of tenants that do not exist, with a warning, instead of failing the request', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    const data = ok(await t.exec<ViewerData, object>(VIEWER, {}, await token({ memberships: [{ tenantId: missing, role: 'SENDER' }, { tenantId: acme.id, role: 'DPO' }] })));
    expect(data.viewer.memberships).toEqual([{ role: 'DPO', tenant: { name: 'Acme' } }]);
    const warning = t.logs.map((line) => JSON.parse(line) as { msg: string; level: string }).find((line) => line.msg.includes('tenants that do not exist'));
    expect(warning).toMatchObject({ level: 'warn' });
    expect(JSON.stringify(warning)).not.toContain(missing);
  });
});
