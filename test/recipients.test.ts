import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayContact } from '../src/privacy/consent.ts';
import { setObjection, setRestriction } from '../src/recipients/recipients.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';

const Upsert = graphql(`
  mutation UpsertRecipient($input: UpsertRecipientInput!) {
    upsertRecipient(input: $input) { id externalId name phone email locale restricted objected consents { channel purpose granted } }
  }
`);

const UpsertMany = graphql(`
  mutation UpsertRecipients($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created updated } }
`);

const GetRecipient = graphql(`
  query GetRecipient($id: ID!) {
    recipient(id: $id) { id externalId name phone email tenant { name } consents { id channel purpose granted source proof recordedAt withdrawnAt } }
  }
`);

const Search = graphql(`
  query SearchRecipients($tenantId: ID!, $search: String, $first: Int, $after: String) {
    tenant(id: $tenantId) {
      recipients(search: $search, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id externalId phone consents { channel purpose granted } } }
      }
    }
  }
`);

const Record = graphql(`
  mutation RecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id channel purpose granted source proof withdrawnAt } }
`);

const Withdraw = graphql(`
  mutation WithdrawConsent($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id granted withdrawnAt } }
`);

const DefinePurposeDoc = graphql(`
  mutation DefinePurposeForRecipients($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }
`);

const PHONE = '+46701234567';
const EMAIL = 'anna.svensson@example.com';
const NAME = 'Anna Svensson';

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let annaId: string;

beforeAll(async () => {
  t = await createTestApp({}, { countQueries: true });
  acme = await seedTenant(t, 'Acme');
  for (const [key, legalBasis] of [['newsletter', 'CONSENT'], ['orders', 'CONTRACT'], ['offers', 'LEGITIMATE_INTEREST']] as const) {
    ok(await t.exec(DefinePurposeDoc, { input: { tenantId: acme.id, key, legalBasis } }, acme.keys.TENANT_ADMIN));
  }
  const anna = ok(
    await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'cust-1', name: NAME, phone: '070-123 45 67', email: 'Anna.Svensson@Example.com', locale: 'sv-SE', pushTokens: ['tok-1'] } }, acme.keys.SENDER),
  ).upsertRecipient;
  annaId = anna.id;
});
afterAll(() => t.close());

describe('recipients', () => {
  it('normalises a Swedish national number to E.164 and the e-mail to lower case', async () => {
    const { recipient } = ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.SENDER));
    expect(recipient).toMatchObject({ externalId: 'cust-1', name: NAME, phone: PHONE, email: EMAIL, tenant: { name: 'Acme' } });
  });

  it('upserts on externalId: a second call updates, absent fields stay, null clears', async () => {
    const again = ok(await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'cust-1', locale: 'en' } }, acme.keys.SENDER)).upsertRecipient;
    expect(again).toMatchObject({ id: annaId, locale: 'en', phone: PHONE, name: NAME });
    const cleared = ok(await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'cust-1', locale: null } }, acme.keys.SENDER)).upsertRecipient;
    expect(cleared.locale).toBeNull();
    expect(ok(await t.exec(Search, { tenantId: acme.id }, acme.keys.SENDER)).tenant!.recipients.totalCount).toBe(1);
  });

  it('finds a recipient by exact phone (any format) or e-mail (any case) through the blind index', async () => {
    for (const search of ['+46 70 123 45 67', '0701234567', 'ANNA.svensson@example.com']) {
      const found = ok(await t.exec(Search, { tenantId: acme.id, search }, acme.keys.VIEWER)).tenant!.recipients;
      expect(found.totalCount, search).toBe(1);
      expect(found.edges[0]!.node.id).toBe(annaId);
    }
    for (const search of ['+46709999999', 'nobody@example.com', 'not a number']) {
      const none = ok(await t.exec(Search, { tenantId: acme.id, search }, acme.keys.VIEWER)).tenant!.recipients;
      expect(none).toMatchObject({ totalCount: 0, edges: [] });
    }
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ phone: '12345' }, 'phone'],
      [{ phone: 'call me maybe' }, 'phone'],
      [{ email: 'anna@' }, 'email'],
      [{ email: 'no-domain' }, 'email'],
      [{ name: 'x'.repeat(100_000) }, 'name'],
      [{ name: '' }, 'name'],
      [{ locale: 'Swedish please' }, 'locale'],
    ];
    for (const [fields, field] of cases) {
      const res = await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'bad-1', ...fields } }, acme.keys.SENDER);
      expect(errorCodes(res), JSON.stringify(fields).slice(0, 60)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.field).toBe(field);
    }
    expect(ok(await t.exec(Search, { tenantId: acme.id }, acme.keys.SENDER)).tenant!.recipients.totalCount).toBe(1);
  });

  it('stores no personal data in clear in any column of any table', async () => {
    const tables = await t.app.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const needles = [PHONE, '701234567', EMAIL, 'Anna', 'Svensson', 'tok-1', 'cust-1'];
    const hex = (s: string) => Buffer.from(s).toString('hex');
    for (const { table_name } of tables) {
      const rows = await t.app.db.query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM "${table_name}" x`);
      const dump = rows.map((r) => r.row).join('\n');
      for (const needle of needles) {
        expect(dump.includes(needle), `${needle} in ${table_name}`).toBe(false);
        expect(dump.includes(hex(needle)), `${needle} (hex) in ${table_name}`).toBe(false);
      }
    }
  });
});

describe('who sees what', () => {
  it('VIEWER sees masked phone, e-mail and name; DPO sees them in full', async () => {
    const masked = ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.VIEWER)).recipient!;
    expect(masked).toMatchObject({ phone: '+46 70*** **67', email: 'a***@example.com', name: 'A***' });
    const full = ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.DPO)).recipient!;
    expect(full).toMatchObject({ phone: PHONE, email: EMAIL, name: NAME });
  });

  it('audits each clear read once per request, and masked reads not at all', async () => {
    const count = () => t.app.prisma.auditEvent.count({ where: { action: 'recipient.read', targetId: decodeGlobalId(annaId)!.id } });
    const before = await count();
    ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.DPO));
    ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.VIEWER));
    expect((await count()) - before).toBe(1);
    const event = await t.app.prisma.auditEvent.findFirst({ where: { action: 'recipient.read' }, orderBy: { id: 'desc' } });
    expect(event!.actor).toBe(`apikey:${decodeGlobalId(acme.keyIds.DPO)!.id}`);
  });

  it('VIEWER and DPO cannot change recipients or consents', async () => {
    for (const role of ['VIEWER', 'DPO'] as const) {
      expect(errorCodes(await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'x' } }, acme.keys[role]))).toEqual(['FORBIDDEN']);
      const res = await t.exec(Record, { input: { recipientId: annaId, channel: 'SMS', purpose: 'newsletter', source: 'x' } }, acme.keys[role]);
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('consent', () => {
  it('records, withdraws and re-grants, keeping every change as history', async () => {
    const granted = ok(await t.exec(Record, { input: { recipientId: annaId, channel: 'EMAIL', purpose: 'newsletter', source: 'signup-form-v3', proof: 'Terms v2' } }, acme.keys.SENDER)).recordConsent;
    expect(granted).toMatchObject({ channel: 'EMAIL', purpose: 'newsletter', granted: true, source: 'signup-form-v3', proof: 'Terms v2', withdrawnAt: null });
    const withdrawn = ok(await t.exec(Withdraw, { input: { recipientId: annaId, channel: 'EMAIL', purpose: 'newsletter' } }, acme.keys.SENDER)).withdrawConsent;
    expect(withdrawn).toMatchObject({ id: granted.id, granted: false, withdrawnAt: expect.any(String) });
    const again = ok(await t.exec(Withdraw, { input: { recipientId: annaId, channel: 'EMAIL', purpose: 'newsletter' } }, acme.keys.SENDER)).withdrawConsent;
    expect(again.withdrawnAt).toBe(withdrawn.withdrawnAt);

    const { recipient } = ok(await t.exec(GetRecipient, { id: annaId }, acme.keys.SENDER));
    expect(recipient!.consents).toEqual([expect.objectContaining({ channel: 'EMAIL', purpose: 'newsletter', granted: false })]);
    const history = await t.app.prisma.consentEvent.findMany({ where: { consentId: granted.id }, orderBy: { at: 'asc' } });
    expect(history.map((h) => h.granted)).toEqual([true, false]);
    expect(history[0]!.proof).toBe('Terms v2');

    ok(await t.exec(Record, { input: { recipientId: annaId, channel: 'EMAIL', purpose: 'newsletter', source: 'preferences-page' } }, acme.keys.SENDER));
    expect(await t.app.prisma.consentEvent.count({ where: { consentId: granted.id } })).toBe(3);
  });

  it('refuses an unknown purpose, an unknown consent and an unknown channel', async () => {
    const unknown = await t.exec(Record, { input: { recipientId: annaId, channel: 'SMS', purpose: 'nope', source: 's' } }, acme.keys.SENDER);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.message).toMatch(/unknown purpose "nope"/);
    const none = await t.exec(Withdraw, { input: { recipientId: annaId, channel: 'PUSH', purpose: 'newsletter' } }, acme.keys.SENDER);
    expect(errorCodes(none)).toEqual(['NOT_FOUND']);
    const badEnum = await t.exec(Record, { input: { recipientId: annaId, channel: 'FAX' as never, purpose: 'newsletter', source: 's' } }, acme.keys.SENDER);
    expect(errorCodes(badEnum)).toEqual(['BAD_USER_INPUT']);
  });

  it('the send gate follows consent, restriction and objection', async () => {
    const recipientId = decodeGlobalId(annaId)!.id;
    const tenantId = decodeGlobalId(acme.id)!.id;
    const ask = (channel: 'SMS' | 'EMAIL', purpose: string) => mayContact(t.app.prisma, { tenantId, recipientId, channel, purpose });
    const operator = { actor: 'operator', id: 'operator', kind: 'operator', platformAdmin: true, memberships: new Map() } as const;

    expect(await ask('EMAIL', 'newsletter')).toEqual({ allowed: true });
    expect(await ask('SMS', 'newsletter')).toMatchObject({ allowed: false, code: 'CONSENT_REQUIRED' });
    expect(await ask('SMS', 'orders')).toEqual({ allowed: true });
    expect(await ask('SMS', 'offers')).toEqual({ allowed: true });
    await expect(ask('SMS', 'unknown')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });

    await setObjection(t.app, operator, { recipientId, objected: true });
    expect(await ask('SMS', 'offers')).toMatchObject({ allowed: false, code: 'RECIPIENT_OBJECTED' });
    expect(await ask('SMS', 'orders')).toEqual({ allowed: true });

    await setRestriction(t.app, operator, { recipientId, restricted: true });
    expect(await ask('SMS', 'orders')).toMatchObject({ allowed: false, code: 'PROCESSING_RESTRICTED' });
    const flags = ok(await t.exec(Upsert, { input: { tenantId: acme.id, externalId: 'cust-1' } }, acme.keys.SENDER)).upsertRecipient;
    expect(flags).toMatchObject({ restricted: true, objected: true });

    await setRestriction(t.app, operator, { recipientId, restricted: false });
    await setObjection(t.app, operator, { recipientId, objected: false });
    expect(await ask('SMS', 'offers')).toEqual({ allowed: true });
    const actions = (await t.app.prisma.auditEvent.findMany({ where: { targetId: recipientId }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['recipient.objected', 'recipient.restricted', 'recipient.unrestricted', 'recipient.objectionLifted']));
  });
});

describe('bulk and query counts', () => {
  it('imports 10,000 recipients in one call, all or nothing', async () => {
    const recipients = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: `bulk-${i}`,
      name: `Person ${i}`,
      phone: `+4670${String(1_000_000 + i).padStart(7, '0')}`,
      email: `person${i}@example.com`,
    }));
    const bad = [...recipients.slice(0, 10), { externalId: 'bulk-bad', phone: '123' }];
    const refused = await t.exec(UpsertMany, { input: { tenantId: acme.id, recipients: bad } }, acme.keys.SENDER);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.extensions!.field).toBe('recipients.10.phone');

    const res = ok(await t.exec(UpsertMany, { input: { tenantId: acme.id, recipients } }, acme.keys.SENDER));
    expect(res.upsertRecipients).toEqual({ created: 10_000, updated: 0 });
    const again = ok(await t.exec(UpsertMany, { input: { tenantId: acme.id, recipients: recipients.slice(0, 50).map((r) => ({ ...r, locale: 'sv' })) } }, acme.keys.SENDER));
    expect(again.upsertRecipients).toEqual({ created: 0, updated: 50 });
    const found = ok(await t.exec(Search, { tenantId: acme.id, search: 'person9999@example.com' }, acme.keys.SENDER)).tenant!.recipients;
    expect(found.edges[0]!.node.externalId).toBe('bulk-9999');
  });

  it('updates known recipients in bulk: given fields change, left-out fields stay, null clears', async () => {
    const person = (i: number) => ({ externalId: `merge-${i}`, name: `Merge ${i}`, phone: `+4673${String(1_000_000 + i).padStart(7, '0')}`, email: `merge${i}@example.com` });
    ok(await t.exec(UpsertMany, { input: { tenantId: acme.id, recipients: [person(1), person(2)] } }, acme.keys.SENDER));
    const changes = [
      { externalId: 'merge-1', phone: '070-999 00 01', locale: 'sv' },
      { externalId: 'merge-2', name: null, email: null },
    ];
    expect(ok(await t.exec(UpsertMany, { input: { tenantId: acme.id, recipients: changes } }, acme.keys.SENDER)).upsertRecipients).toEqual({ created: 0, updated: 2 });

    const read = async (search: string) => {
      const edges = ok(await t.exec(Search, { tenantId: acme.id, search }, acme.keys.SENDER)).tenant!.recipients.edges;
      return edges.length ? ok(await t.exec(GetRecipient, { id: edges[0]!.node.id }, acme.keys.DPO)).recipient! : null;
    };
    expect(await read('+46709990001')).toMatchObject({ externalId: 'merge-1', name: 'Merge 1', phone: '+46709990001', email: 'merge1@example.com' });
    // The old number no longer finds anyone: the blind index moved with the phone.
    expect(await read(person(1).phone)).toBeNull();
    expect(await read(person(2).phone)).toMatchObject({ externalId: 'merge-2', name: null, email: null, phone: person(2).phone });
    expect(await read('merge2@example.com')).toBeNull();
  });

  it('lists recipients with their consents in a constant number of SQL queries', async () => {
    const counts: number[] = [];
    for (const first of [10, 100]) {
      t.queries.length = 0;
      const page = ok(await t.exec(Search, { tenantId: acme.id, first }, acme.keys.SENDER)).tenant!.recipients;
      expect(page.edges).toHaveLength(first);
      counts.push(t.queries.length);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(8);
  });
});
