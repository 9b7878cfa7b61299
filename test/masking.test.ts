// What each role of the tenant reads of personal data and bearer values, and that every clear
// read is on record by the time the response arrives (not a moment later).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../src/ids.ts';
import { createTestApp, errorCodes, ok, seedTenant, type SeedRole, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let recipientId: string;
let sendId: string;
beforeAll(async () => {
  t = await createTestApp({}, { listen: true, dispatch: true });
  tenant = await seedTenant(t, 'Masks AB');
  const setup = ok(
    await t.exec(
      `mutation($t: ID!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
        coupon: configureChannel(input: { tenantId: $t, pluginId: "dev-coupon", config: {} }) { id }
        upsertRecipient(input: { tenantId: $t, externalId: "cust-4711", name: "Anna Andersson", phone: "+46701234567" }) { id }
      }`,
      { t: tenant.id },
    ),
  ) as { upsertRecipient: { id: string } };
  recipientId = setup.upsertRecipient.id;
  const created = ok(
    await t.exec(`mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Kod {{gift.code}}" }, gift: { offerId: "coffee" } }) { id } }`, { r: recipientId }, tenant.keys.SENDER),
  ) as { createSend: { id: string } };
  sendId = created.createSend.id;
  await waitFor(async () => (ok(await t.exec(`query($id: ID!) { send(id: $id) { gift { code } } }`, { id: sendId })) as { send: { gift: { code: string | null } | null } }).send.gift?.code, (code) => Boolean(code));
});
afterAll(() => t.close());

const READ = `query($r: ID!, $s: ID!) {
  recipient(id: $r) { externalId name phone }
  send(id: $s) { gift { code url } }
}`;
type Read = { recipient: { externalId: string; name: string; phone: string }; send: { gift: { code: string; url: string } } };

const auditCount = (action: string, role: SeedRole) =>
  t.app.prisma.auditEvent.count({ where: { action, actor: `apikey:${decodeGlobalId(tenant.keyIds[role])!.id}` } });

describe('the masking table, role by role', () => {
  it('VIEWER reads masked values of personal data and gift codes, and nothing is audited for it', async () => {
    const data = ok(await t.exec<Read, object>(READ, { r: recipientId, s: sendId }, tenant.keys.VIEWER));
    expect(data.recipient).toEqual({ externalId: 'cu***', name: 'A***', phone: '+46 70*** **67' });
    expect(data.send.gift.code).toMatch(/^[A-Z0-9]{2}\*\*\*$/);
    expect(data.send.gift.url).toMatch(/^https?:\/\/[^/]+\/\*\*\*$/);
    expect(await auditCount('recipient.read', 'VIEWER')).toBe(0);
    expect(await auditCount('gift.read', 'VIEWER')).toBe(0);
  });

  it.each(['SENDER', 'DPO', 'TENANT_ADMIN'] as const)('%s reads clear values, each read on record when the response arrives', async (role) => {
    const data = ok(await t.exec<Read, object>(READ, { r: recipientId, s: sendId }, tenant.keys[role]));
    expect(data.recipient).toEqual({ externalId: 'cust-4711', name: 'Anna Andersson', phone: '+46701234567' });
    expect(data.send.gift.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(data.send.gift.url).toContain(data.send.gift.code);
    // No waiting: the events were written before the values were handed out.
    expect(await auditCount('recipient.read', role)).toBeGreaterThanOrEqual(1);
    expect(await auditCount('gift.read', role)).toBeGreaterThanOrEqual(1);
  });

  it('API keys (names and roles) are for TENANT_ADMIN only', async () => {
    const query = `query($id: ID!) { node(id: $id) { ... on ApiKey { name role } } }`;
    for (const role of ['VIEWER', 'SENDER', 'DPO'] as const) expect(errorCodes(await t.exec(query, { id: tenant.keyIds.SENDER }, tenant.keys[role]))).toEqual(['FORBIDDEN']);
    expect(ok(await t.exec(query, { id: tenant.keyIds.SENDER }, tenant.keys.TENANT_ADMIN))).toEqual({ node: { name: 'SENDER key', role: 'SENDER' } });
  });
});
