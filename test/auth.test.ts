import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';

const SECRET = 'a-test-only-hs256-secret-of-enough-length';
const VIEWER = `{ viewer { id platformRole memberships { role tenant { name } } } }`;
type ViewerData = { viewer: { id: string; platformRole: string | null; memberships: Array<{ role: string; tenant: { name: string } }> } };

const hs256 = (claims: Record<string, unknown>, secret = SECRET, expiresIn = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-42').setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));

describe('JWT with an HS256 secret', () => {
  let t: TestApp;
  let acme: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    t = await createTestApp({ JWT_SECRET: SECRET });
    acme = await seedTenant(t, 'Acme');
  });
  afterAll(() => t.close());

  it('maps membership claims (global or raw tenant ids) to roles', async () => {
    const token = await hs256({ memberships: [{ tenantId: acme.id, role: 'DPO' }, { tenantId: 'junk', role: 'TENANT_ADMIN' }] });
    const data = ok(await t.exec<ViewerData, object>(VIEWER, {}, token));
    expect(data.viewer).toEqual({ id: 'user:user-42', platformRole: null, memberships: [{ role: 'DPO', tenant: { name: 'Acme' } }] });
  });

  it('ignores unknown roles and grants the platform role only by claim', async () => {
    const token = await hs256({ platform_role: 'PLATFORM_ADMIN', memberships: [{ tenantId: acme.id, role: 'OWNER' }] });
    const data = ok(await t.exec<ViewerData, object>(VIEWER, {}, token));
    expect(data.viewer.platformRole).toBe('PLATFORM_ADMIN');
    expect(data.viewer.memberships).toEqual([]);
  });

  it('refuses a wrong signature, an expired token and a token without subject', async () => {
    expect(errorCodes(await t.exec(VIEWER, {}, await hs256({}, 'another-secret-that-is-long-enough-x')))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await t.exec(VIEWER, {}, await hs256({}, SECRET, '-1m')))).toEqual(['UNAUTHENTICATED']);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    expect(errorCodes(await t.exec(VIEWER, {}, noSub))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('JWT verified against a JWKS URL', () => {
  let t: TestApp;
  let jwks: Server;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const port = (jwks.address() as AddressInfo).port;
    t = await createTestApp({ JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'send-api' });
  });
  afterAll(async () => {
    await t.close();
    jwks.close();
  });

  const rs256 = (issuer: string) =>
    new SignJWT({ platform_role: 'PLATFORM_ADMIN' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('ops-1')
      .setIssuer(issuer)
      .setAudience('send-api')
      .setExpirationTime('5m')
      .sign(privateKey);

  it('accepts a token signed by a published key, with the right issuer', async () => {
    const data = ok(await t.exec<ViewerData, object>(VIEWER, {}, await rs256('https://idp.test')));
    expect(data.viewer.platformRole).toBe('PLATFORM_ADMIN');
  });

  it('refuses the wrong issuer', async () => {
    expect(errorCodes(await t.exec(VIEWER, {}, await rs256('https://evil.test')))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('without JWT configuration', () => {
  it('a JWT is refused with a clear message', async () => {
    const t = await createTestApp();
    try {
      const res = await t.exec(VIEWER, {}, await hs256({}));
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors![0]!.message).toMatch(/not configured/);
    } finally {
      await t.close();
    }
  });
});

describe('access rules and ids', () => {
  let t: TestApp;
  let acme: Awaited<ReturnType<typeof seedTenant>>;
  let other: Awaited<ReturnType<typeof seedTenant>>;
  const ConfigureChannel = `mutation($t: ID!) { configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id } }`;
  const Channels = `query($id: ID!) { tenant(id: $id) { channels { channel webhookUrl } } }`;
  const CreateCampaign = `mutation($t: ID!, $r: [ID!]) { createCampaign(input: { tenantId: $t, name: "c", channel: SMS, purpose: "p", message: { body: "x" }, recipientIds: $r }) { id } }`;
  beforeAll(async () => {
    t = await createTestApp();
    acme = await seedTenant(t, 'Acme');
    other = await seedTenant(t, 'Other');
    ok(await t.exec(ConfigureChannel, { t: acme.id }, acme.keys.TENANT_ADMIN));
  });
  afterAll(() => t.close());

  it('shows a channel\'s webhook URL to tenant admins only', async () => {
    const admin = ok(await t.exec<{ tenant: { channels: Array<{ webhookUrl: string }> } }, object>(Channels, { id: acme.id }, acme.keys.TENANT_ADMIN));
    expect(admin.tenant.channels[0]!.webhookUrl).toMatch(/\/webhooks\/dev-sms\//);
    for (const role of ['SENDER', 'VIEWER', 'DPO'] as const) {
      const res = await t.exec(Channels, { id: acme.id }, acme.keys[role]);
      expect(errorCodes(res), role).toEqual(['FORBIDDEN']);
      expect(res.errors![0]!.path).toEqual(['tenant', 'channels', 0, 'webhookUrl']);
    }
  });

  it('answers an id of the wrong type or garbage with NOT_FOUND naming the argument', async () => {
    const wrongType = await t.exec(ConfigureChannel, { t: acme.keyIds.SENDER }, acme.keys.TENANT_ADMIN);
    expect(wrongType.errors).toEqual([expect.objectContaining({ message: 'Tenant not found', extensions: { code: 'NOT_FOUND', field: 'tenantId' } })]);
    const garbage = await t.exec(`mutation { cancelSend(id: "garbage") { id } }`, {}, acme.keys.SENDER);
    expect(garbage.errors).toEqual([expect.objectContaining({ message: 'Send not found', extensions: { code: 'NOT_FOUND', field: 'id' } })]);
    const listed = await t.exec(CreateCampaign, { t: acme.id, r: [acme.id, 'garbage'] }, acme.keys.SENDER);
    expect(listed.errors).toEqual([
      expect.objectContaining({ message: 'recipientIds.0: Recipient not found', extensions: { code: 'NOT_FOUND', field: 'recipientIds.0' } }),
    ]);
    expect(errorCodes(await t.exec(`{ node(id: "garbage") { id } }`, {}, acme.keys.VIEWER))).toEqual(['NOT_FOUND']);
  });

  it('tells an anonymous caller only to authenticate, whatever its ids', async () => {
    for (const [query, variables] of [
      [ConfigureChannel, { t: 'garbage' }],
      [CreateCampaign, { t: acme.id, r: ['garbage'] }],
      [`{ node(id: "garbage") { id } }`, {}],
      [Channels, { id: acme.id }],
    ] as const) {
      const res = await t.exec(query, variables, null);
      expect(res.errors, query).toEqual([expect.objectContaining({ message: 'Authentication required: send "Authorization: Bearer <token>"', extensions: { code: 'UNAUTHENTICATED' } })]);
    }
  });

  it('refuses another tenant\'s resources by id, and a member outside its role', async () => {
    expect(errorCodes(await t.exec(`query($id: ID!) { node(id: $id) { id } }`, { id: acme.id }, other.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: acme.keyIds.DPO }, acme.keys.SENDER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(`query($id: ID!) { tenant(id: $id) { auditLog { edges { cursor } } } }`, { id: acme.id }, acme.keys.VIEWER))).toEqual(['FORBIDDEN']);
    expect(ok(await t.exec(`query($id: ID!) { tenant(id: $id) { auditLog { edges { cursor } } } }`, { id: acme.id }, acme.keys.DPO))).toBeTruthy();
  });
});
