// The response cache: a caller asking the same query again is answered from memory, every
// answer still records its clear reads, and a mutation or a send event of the tenant drops the
// answers at once. The lifetime is a minute here, so that nothing in these tests expires by time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../src/ids.ts';
import { createTestApp, errorCodes, ok, seedTenant, TEST_ADMIN_KEY, type TestApp } from './helpers.ts';

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
let recipientId: string;
beforeAll(async () => {
  t = await createTestApp({ RESPONSE_CACHE_MS: '60000' });
  acme = await seedTenant(t, 'Cache AB');
  other = await seedTenant(t, 'Other AB');
  const setup = ok(
    await t.exec(
      `mutation($t: ID!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        upsertRecipient(input: { tenantId: $t, externalId: "c-1", name: "Anna Andersson", phone: "+46701234567" }) { id }
      }`,
      { t: acme.id },
    ),
  ) as { upsertRecipient: { id: string } };
  recipientId = setup.upsertRecipient.id;
});
afterAll(() => t.close());

const READ = `query($r: ID!) { recipient(id: $r) { name locale } }`;
type Read = { recipient: { name: string; locale: string | null } };
const read = async (key: string) => (ok(await t.exec(READ, { r: recipientId }, key)) as Read).recipient;

/** Changes the row behind the cache's back: no mutation, no event. */
const setLocaleDirectly = (locale: string) => t.app.prisma.recipient.update({ where: { id: decodeGlobalId(recipientId)!.id }, data: { locale } });

/** Clear reads of the recipient on record for a key: one per answer, cached or not. */
async function readsOnRecord(key: string): Promise<number> {
  const id = decodeGlobalId(recipientId)!.id;
  const rows = await t.app.prisma.auditEvent.findMany({ where: { action: 'recipient.read', actor: `apikey:${decodeGlobalId(acme.keyIds[key as 'SENDER'])!.id}` } });
  return rows.filter((r) => r.targetId === id || r.targetIds.includes(id)).reduce((n, r) => n + ((r.detail as { reads?: number } | null)?.reads ?? 1), 0);
}

describe('response cache', () => {
  it('answers the same caller from memory, and records the clear read of every answer', async () => {
    const before = await readsOnRecord('SENDER');
    expect(await read(acme.keys.SENDER)).toEqual({ name: 'Anna Andersson', locale: null });
    await setLocaleDirectly('sv-SE');
    // Served from memory: the change made behind the cache's back does not show yet.
    expect(await read(acme.keys.SENDER)).toEqual({ name: 'Anna Andersson', locale: null });
    expect((await readsOnRecord('SENDER')) - before).toBe(2);
  });

  it('keeps answers per caller: a VIEWER never gets the clear answer another role was given', async () => {
    expect((await read(acme.keys.VIEWER)).name).toBe('A***');
    expect((await read(acme.keys.VIEWER)).name).toBe('A***');
  });

  it('drops every answer when a mutation is executed', async () => {
    ok(await t.exec(`mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "news", legalBasis: CONSENT }) { key } }`, { t: acme.id }));
    expect(await read(acme.keys.SENDER)).toEqual({ name: 'Anna Andersson', locale: 'sv-SE' });
  });

  it("drops a tenant's answers on an event of that tenant, and only that tenant's", async () => {
    await setLocaleDirectly('en-GB');
    // The event log speaks of tenants by their raw ids.
    t.app.events.publish(decodeGlobalId(other.id)!.id, 1n);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect((await read(acme.keys.SENDER)).locale).toBe('sv-SE');
    await new Promise<void>((resolve) => {
      const acmeId = decodeGlobalId(acme.id)!.id;
      const unsubscribe = t.app.events.subscribe(acmeId, () => {
        unsubscribe();
        resolve();
      });
      t.app.events.publish(acmeId, 1n);
    });
    expect((await read(acme.keys.SENDER)).locale).toBe('en-GB');
  });

  it('still authenticates every request: a revoked key gets no cached answer', async () => {
    const created = ok(await t.exec(`mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "short-lived", role: SENDER }) { apiKey { id } secret } }`, { t: acme.id })) as {
      createApiKey: { apiKey: { id: string }; secret: string };
    };
    const key = created.createApiKey.secret;
    expect((await read(key)).name).toBe('Anna Andersson');
    ok(await t.exec(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: created.createApiKey.apiKey.id }, TEST_ADMIN_KEY));
    expect(errorCodes(await t.exec(READ, { r: recipientId }, key))).toEqual(['UNAUTHENTICATED']);
  });

  it('never answers another tenant from the cache', async () => {
    expect(errorCodes(await t.exec(READ, { r: recipientId }, other.keys.SENDER))).toEqual(['FORBIDDEN']);
  });
});
