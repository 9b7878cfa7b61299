// Input a client can get wrong must come back as BAD_USER_INPUT naming the field, never as an
// internal error: NUL characters in any text, a country libphonenumber does not know, a
// schedule in the past.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ok, seedTenant, type GqlResult, type TestApp } from './helpers.ts';

const NUL = 'a\u0000b';
let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let recipientId: string;
beforeAll(async () => {
  t = await createTestApp();
  tenant = await seedTenant(t, 'Input AB');
  const setup = ok(
    await t.exec(
      `mutation($t: ID!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
        coupon: configureChannel(input: { tenantId: $t, pluginId: "dev-coupon", config: {} }) { id }
        upsertRecipient(input: { tenantId: $t, externalId: "c-1", phone: "+46701234567" }) { id }
      }`,
      { t: tenant.id },
    ),
  ) as { upsertRecipient: { id: string } };
  recipientId = setup.upsertRecipient.id;
});
afterAll(() => t.close());

function expectBadInput(res: GqlResult<unknown>, field: string): void {
  expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
  expect(res.data ?? null).toBeNull();
}

const send = (input: Record<string, unknown>) =>
  t.exec(`mutation($i: CreateSendInput!) { createSend(input: $i) { id } }`, { i: { recipientId, channel: 'SMS', purpose: 'receipts', message: { body: 'x' }, ...input } });

describe('NUL characters', () => {
  it('are refused in every kind of text input, naming the field', async () => {
    expectBadInput(await t.exec(`mutation($n: String!) { createTenant(input: { name: $n }) { id } }`, { n: NUL }), 'name');
    expectBadInput(await t.exec(`mutation($t: ID, $n: String!) { createApiKey(input: { tenantId: $t, name: $n, role: SENDER }) { secret } }`, { t: tenant.id, n: NUL }), 'name');
    expectBadInput(await t.exec(`mutation($t: ID!, $k: String!) { definePurpose(input: { tenantId: $t, key: $k, legalBasis: CONSENT }) { key } }`, { t: tenant.id, k: NUL }), 'key');
    expectBadInput(
      await t.exec(`mutation($r: ID!, $s: String!) { recordConsent(input: { recipientId: $r, channel: SMS, purpose: "receipts", source: $s }) { id } }`, { r: recipientId, s: NUL }),
      'source',
    );
    expectBadInput(await t.exec(`mutation($t: ID!, $n: String!) { upsertRecipient(input: { tenantId: $t, externalId: "c-2", name: $n }) { id } }`, { t: tenant.id, n: NUL }), 'name');
    expectBadInput(
      await t.exec(`mutation($t: ID!, $n: String!) { upsertRecipients(input: { tenantId: $t, recipients: [{ externalId: "ok" }, { externalId: $n }] }) { created } }`, { t: tenant.id, n: NUL }),
      'recipients.1.externalId',
    );
    expectBadInput(await send({ idempotencyKey: NUL }), 'idempotencyKey');
    expectBadInput(await send({ message: { body: NUL } }), 'message.body');
    expectBadInput(await send({ gift: { offerId: NUL } }), 'gift.offerId');
    expectBadInput(
      await t.exec(`mutation($t: ID!, $n: String!) { createCampaign(input: { tenantId: $t, name: $n, channel: SMS, purpose: "receipts", message: { body: "x" } }) { id } }`, { t: tenant.id, n: NUL }),
      'name',
    );
    expectBadInput(await t.exec(`mutation($t: ID!, $c: JSON!) { configureChannel(input: { tenantId: $t, pluginId: "dev-email", config: $c }) { id } }`, { t: tenant.id, c: { note: NUL } }), 'config.note');
  });
});

describe('a tenant country', () => {
  it('must be one libphonenumber knows, or national numbers could never be read', async () => {
    const res = await t.exec(`mutation { createTenant(input: { name: "Nowhere", defaultCountry: "XX" }) { id } }`);
    expectBadInput(res, 'defaultCountry');
    expect(res.errors![0]!.message).toContain('e.g. SE');
    ok(await t.exec(`mutation { createTenant(input: { name: "Oslo AS", defaultCountry: "NO" }) { id } }`));
  });
});

describe('a schedule', () => {
  it('in the past is refused beyond a small clock skew', async () => {
    const res = await send({ scheduledAt: '0001-01-01T00:00:00Z' });
    expectBadInput(res, 'scheduledAt');
    expect(res.errors![0]!.message).toContain('in the past');
    expectBadInput(await send({ scheduledAt: new Date(Date.now() - 3_600_000).toISOString() }), 'scheduledAt');
    ok(await send({ scheduledAt: new Date(Date.now() - 30_000).toISOString() }));
  });
});

describe('documents and ids a client crafts', () => {
  const codes = (res: GqlResult<unknown>) => (res.errors ?? []).map((e) => e.extensions?.code);

  it('a forged cursor is BAD_USER_INPUT or an empty page, never an internal error', async () => {
    for (const after of ['R1BDOlM6YWJj', 'R1BDOk46MTIz', 'R1BDOkQ6eHl6', 'R1BDOko6e30=', 'bm90IGEgY3Vyc29y']) {
      const res = await t.exec(`query($t: ID!, $a: String) { tenant(id: $t) { sends(first: 5, after: $a) { edges { cursor node { id } } } } }`, { t: tenant.id, a: after });
      expect(codes(res).filter((c) => c !== 'BAD_USER_INPUT')).toEqual([]);
    }
  });

  it('two anonymous operations without operationName are BAD_USER_INPUT', async () => {
    expect(codes(await t.exec('{ viewer { id } } { viewer { id } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('a node id whose type part is an inherited property name is NOT_FOUND, even for the operator', async () => {
    for (const typename of ['__proto__', 'valueOf', 'hasOwnProperty', 'constructor']) {
      const id = Buffer.from(`${typename}:01900000-0000-7000-8000-000000000000`).toString('base64');
      expect(codes(await t.exec(`query($id: ID!) { node(id: $id) { id } }`, { id }))).toEqual(['NOT_FOUND']);
    }
  });

  it('a 5,000-deep selection and a 10,000-deep list literal are refused before they exhaust the stack', async () => {
    const deep = `query { viewer { id ${'... on Viewer { '.repeat(5000)}id${' }'.repeat(5000)} } }`;
    const list = `query { node(id: ${'['.repeat(10_000)}"x"${']'.repeat(10_000)}) { id } }`;
    for (const query of [deep, list]) {
      const res = await t.exec(query);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/Token limit of 5000 exceeded|nested too deeply/);
    }
    expect(ok(await t.exec('{ viewer { id } }'))).toEqual({ viewer: { id: 'operator' } });
  });
});

describe('pagination', () => {
  it('refuses a page larger than the maximum, naming it, instead of cutting it short', async () => {
    const res = await t.exec(`query($t: ID!) { tenant(id: $t) { recipients(first: 1000) { totalCount } } }`, { t: tenant.id });
    expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'first' }) })]);
    expect(res.errors![0]!.message).toContain('at most 100 per page');
    expect((await t.exec(`query($t: ID!) { tenant(id: $t) { sends(last: -1) { totalCount } } }`, { t: tenant.id })).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  });

  it('offers nodes beside edges', async () => {
    const data = ok(await t.exec(`query($t: ID!) { tenant(id: $t) { recipients(first: 100) { nodes { id } edges { node { id } } } } }`, { t: tenant.id })) as {
      tenant: { recipients: { nodes: Array<{ id: string }>; edges: Array<{ node: { id: string } }> } };
    };
    expect(data.tenant.recipients.nodes.length).toBeGreaterThan(0);
    expect(data.tenant.recipients.nodes).toEqual(data.tenant.recipients.edges.map((e) => e.node));
  });
});
