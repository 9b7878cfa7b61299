// Data subject requests through GraphQL alone: access with export and download (JSON, CSV),
// restriction and objection (a new send refused, an already-queued one BLOCKED at dispatch)
// and their lifting, rectification, extension, listing, and every refusal.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../src/ids.ts';
import { createTestApp, errorCodes, ok, seedTenant, type GqlResult, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const REQUEST_FIELDS = `id kind status reason note lift receivedAt dueAt extendedUntil extensionReason completedAt overdue export downloadUrl
  recipient { id name phone restricted objected }`;

type Request = {
  id: string;
  kind: string;
  status: string;
  reason: string | null;
  note: string | null;
  lift: boolean;
  receivedAt: string;
  dueAt: string;
  extendedUntil: string | null;
  extensionReason: string | null;
  completedAt: string | null;
  overdue: boolean;
  export: Record<string, any> | null;
  downloadUrl: string | null;
  recipient: { id: string; name: string | null; phone: string | null; restricted: boolean; objected: boolean } | null;
};

const ASK = `mutation($input: DataSubjectActionInput!) { requestDataSubjectAction(input: $input) { ${REQUEST_FIELDS} } }`;
const READ = `query($id: ID!) { node(id: $id) { ... on DataSubjectRequest { ${REQUEST_FIELDS} } } }`;

// With Redis at hand (the second mode), the queues are BullMQ's.
const redisEnv: Record<string, string> = process.env.REDIS_URL && process.env.DATABASE_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `dsr${randomBytes(4).toString('hex')}` } : {};

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  t = await createTestApp(redisEnv, { listen: true, dispatch: true });
  a = await seedTenant(t, 'Privacy AB');
  b = await seedTenant(t, 'Other AB');
  ok(await t.exec(`mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "offers", legalBasis: CONSENT }) { key } }`, { t: a.id }));
  ok(await t.exec(`mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "service", description: "Service notices", legalBasis: LEGITIMATE_INTEREST }) { key } }`, { t: a.id }));
  ok(await t.exec(`mutation($t: ID!) { configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id } }`, { t: a.id }));
  ok(await t.exec(`mutation($t: ID!) { configureChannel(input: { tenantId: $t, pluginId: "dev-coupon", config: {} }) { id } }`, { t: a.id }));
});
afterAll(() => t?.close());

async function recipient(externalId: string, fields: Record<string, string> = {}) {
  const res = ok(
    await t.exec(`mutation($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }`, { input: { tenantId: a.id, externalId, ...fields } }, a.keys.SENDER),
  ) as { upsertRecipient: { id: string } };
  const id = res.upsertRecipient.id;
  ok(await t.exec(`mutation($r: ID!) { recordConsent(input: { recipientId: $r, channel: SMS, purpose: "offers", source: "signup-form-v3", proof: "Offers terms v2" }) { granted } }`, { r: id }, a.keys.SENDER));
  return id;
}

const ask = (input: Record<string, unknown>, key = a.keys.DPO) => t.exec(ASK, { input }, key) as Promise<GqlResult<{ requestDataSubjectAction: Request }>>;

async function settled(id: string, key = a.keys.DPO): Promise<Request> {
  return waitFor(
    async () => (ok(await t.exec(READ, { id }, key)) as { node: Request }).node,
    (r) => r.status === 'COMPLETED' || r.status === 'REJECTED',
  );
}

async function createSend(recipientId: string, extra: Record<string, unknown> = {}) {
  return t.exec(
    `mutation($input: CreateSendInput!) { createSend(input: $input) { id status } }`,
    { input: { recipientId, channel: 'SMS', purpose: 'offers', message: { body: 'Hi {{name}}' }, ...extra } },
    a.keys.SENDER,
  ) as Promise<GqlResult<{ createSend: { id: string; status: string } }>>;
}

const sendStatus = async (id: string) => (ok(await t.exec(`query($id: ID!) { send(id: $id) { status statusReason } }`, { id }, a.keys.SENDER)) as { send: { status: string; statusReason: string | null } }).send;

async function auditActions(): Promise<Array<{ action: string; targetType: string | null; targetId: string | null; actor: string }>> {
  const res = ok(await t.exec(`query($t: ID!) { tenant(id: $t) { auditLog(first: 100) { edges { node { action targetType targetId actor } } } } }`, { t: a.id }, a.keys.DPO)) as {
    tenant: { auditLog: { edges: Array<{ node: { action: string; targetType: string | null; targetId: string | null; actor: string } }> } };
  };
  return res.tenant.auditLog.edges.map((e) => e.node);
}

describe('ACCESS and PORTABILITY', () => {
  let anna: string;
  let done: Request;

  beforeAll(async () => {
    anna = await recipient('cust-anna', { name: 'Anna Berg', phone: '070-123 45 67', email: 'anna.berg@example.com' });
    const send = ok(await createSend(anna, { gift: { offerId: 'coffee' }, message: { body: 'Hi {{name}}, coffee: {{gift.code}}' } })).createSend;
    await waitFor(() => sendStatus(send.id), (s) => s.status === 'DELIVERED');
    const asked = ok(await ask({ recipientId: anna, kind: 'ACCESS', note: 'by e-mail to the DPO' })).requestDataSubjectAction;
    expect(asked).toMatchObject({ kind: 'ACCESS', note: 'by e-mail to the DPO', completedAt: null });
    expect(new Date(asked.dueAt).getTime() - new Date(asked.receivedAt).getTime()).toBe(30 * 86_400_000);
    done = await settled(asked.id);
  });

  it('completes with one JSON document of everything held about the person', () => {
    expect(done.status).toBe('COMPLETED');
    const doc = done.export!;
    expect(doc.recipient).toMatchObject({ id: decodeGlobalId(anna)!.id, externalId: 'cust-anna', name: 'Anna Berg', phone: '+46701234567', email: 'anna.berg@example.com', restricted: false });
    expect(doc.consents).toEqual([
      expect.objectContaining({
        channel: 'SMS',
        purpose: 'offers',
        granted: true,
        source: 'signup-form-v3',
        proof: 'Offers terms v2',
        history: [expect.objectContaining({ granted: true, source: 'signup-form-v3', proof: 'Offers terms v2' })],
      }),
    ]);
    expect(doc.sends).toHaveLength(1);
    expect(doc.sends[0].message).toEqual({ subject: null, body: 'Hi {{name}}, coffee: {{gift.code}}' });
    // The gift's own status changes sit in the same log, marked with giftStatus.
    expect(doc.sends[0].events.filter((e: { giftStatus: string | null }) => !e.giftStatus).map((e: { status: string }) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(doc.sends[0].events.filter((e: { giftStatus: string | null }) => e.giftStatus).map((e: { giftStatus: string }) => e.giftStatus)).toContain('ISSUED');
    expect(doc.sends[0].gift).toMatchObject({ offerId: 'coffee', provider: 'dev-coupon' });
    expect(doc.sends[0].gift.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(doc.purposes).toEqual([{ key: 'offers', description: null, legalBasis: 'CONSENT' }]);
    expect(doc.subprocessors.map((s: { name: string }) => s.name).length).toBeGreaterThan(0);
    expect(doc.subprocessors[0]).toEqual(expect.objectContaining({ legalEntity: expect.any(String), location: expect.any(String), dataCategories: expect.arrayContaining(['phone number']) }));
  });

  it('downloads as a JSON file and as CSV parts over a signed link', async () => {
    expect(done.downloadUrl).toMatch(new RegExp(`^${t.url}/exports/`));
    const json = await fetch(done.downloadUrl!);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/attachment; filename="data-subject-export-.*\.json"/);
    expect(await json.json()).toEqual(done.export);

    const sends = await fetch(`${done.downloadUrl}?format=csv&part=sends`);
    expect(sends.status).toBe(200);
    expect(sends.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, row, ...rest] = (await sends.text()).trimEnd().split('\r\n');
    expect(header).toBe('id,channel,purpose,campaignId,status,statusReason,provider,scheduledAt,createdAt,subject,body,giftOfferId,giftStatus,giftCode');
    expect(rest).toEqual([]);
    expect(row).toContain(`${done.export!.sends[0].id},SMS,offers,,DELIVERED`);
    expect(row).toContain('"Hi {{name}}, coffee: {{gift.code}}"');

    const history = await (await fetch(`${done.downloadUrl}?format=csv&part=consentHistory`)).text();
    expect(history.split('\r\n')[0]).toBe('channel,purpose,granted,source,proof,recordedBy,at');
    expect(history).toContain('SMS,offers,true,signup-form-v3,Offers terms v2');
  });

  it('refuses forged, expired and malformed links with a JSON error', async () => {
    const token = done.downloadUrl!.split('/').pop()!;
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const forgedRes = await fetch(`${t.url}/exports/${forged}`);
    expect(forgedRes.status).toBe(403);
    expect(await forgedRes.json()).toEqual({ error: 'the download link is not valid' });

    const request = { id: decodeGlobalId(done.id)!.id, tenantId: decodeGlobalId(a.id)!.id };
    const expired = await t.app.exportLinks.urlFor(request, 'apikey:test', new Date(Date.now() - 3_600_000));
    const expiredRes = await fetch(expired);
    expect(expiredRes.status).toBe(401);
    expect((await expiredRes.json()).error).toMatch(/expired/);

    expect((await fetch(`${t.url}/exports/not-a-token`)).status).toBe(403);
    const badPart = await fetch(`${done.downloadUrl}?format=csv&part=secrets`);
    expect(badPart.status).toBe(400);
    expect((await badPart.json()).error).toMatch(/^part: /);
  });

  it('records the export, each read and each download in the audit log, without personal data', async () => {
    const entries = (await auditActions()).filter((e) => e.targetId === decodeGlobalId(done.id)!.id);
    const actions = entries.map((e) => e.action);
    for (const action of ['dataSubjectRequest.received.ACCESS', 'dataSubjectRequest.started', 'dataSubjectRequest.exported', 'dataSubjectRequest.completed', 'dataSubjectRequest.exportRead', 'dataSubjectRequest.downloaded.json', 'dataSubjectRequest.downloaded.csv']) {
      expect(actions).toContain(action);
    }
    expect(entries.find((e) => e.action === 'dataSubjectRequest.downloaded.json')!.actor).toBe(`apikey:${decodeGlobalId(a.keyIds.DPO)!.id}`);
    expect(JSON.stringify(await auditActions())).not.toMatch(/Anna|701234567|anna\.berg/);
  });

  it('PORTABILITY gives the same document', async () => {
    const asked = ok(await ask({ recipientId: anna, kind: 'PORTABILITY' }, a.keys.TENANT_ADMIN)).requestDataSubjectAction;
    const portable = await settled(asked.id, a.keys.TENANT_ADMIN);
    expect(portable.export!.recipient).toEqual(done.export!.recipient);
  });
});

describe('RESTRICTION and OBJECTION', () => {
  it('restriction refuses a new send and blocks an already-queued one at dispatch; lifting it (with a note) lets sends through again', async () => {
    const id = await recipient('cust-restricted', { phone: '070-111 22 33' });
    // Queued now, dispatched at its scheduled time, after the restriction is in force.
    const queued = ok(await createSend(id, { scheduledAt: new Date(Date.now() + 3000).toISOString() })).createSend;
    expect(queued.status).toBe('QUEUED');
    const restriction = await settled(ok(await ask({ recipientId: id, kind: 'RESTRICTION', note: 'accuracy contested' })).requestDataSubjectAction.id);
    expect(restriction.status).toBe('COMPLETED');
    expect(restriction.recipient!.restricted).toBe(true);
    expect((await sendStatus(queued.id)).status).toBe('QUEUED');

    const refused = await createSend(id);
    expect(errorCodes(refused)).toEqual(['PROCESSING_RESTRICTED']);
    const blocked = await waitFor(() => sendStatus(queued.id), (s) => s.status === 'BLOCKED');
    expect(blocked.statusReason).toMatch(/^PROCESSING_RESTRICTED/);

    const lifted = await settled(ok(await ask({ recipientId: id, kind: 'RESTRICTION', lift: true, note: 'accuracy verified' })).requestDataSubjectAction.id);
    expect(lifted).toMatchObject({ status: 'COMPLETED', lift: true, note: 'accuracy verified' });
    expect(lifted.recipient!.restricted).toBe(false);
    expect(ok(await createSend(id)).createSend.status).toBe('QUEUED');
    const actions = (await auditActions()).filter((e) => e.targetId === decodeGlobalId(id)!.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['recipient.restricted', 'recipient.unrestricted']));
  });

  it('objection refuses sends on legitimate interest, not on consent; lifting it ends that', async () => {
    const id = await recipient('cust-objected', { phone: '070-222 33 44' });
    const objection = await settled(ok(await ask({ recipientId: id, kind: 'OBJECTION' })).requestDataSubjectAction.id);
    expect(objection.recipient!.objected).toBe(true);
    expect(errorCodes(await createSend(id, { purpose: 'service' }))).toEqual(['RECIPIENT_OBJECTED']);
    expect(ok(await createSend(id)).createSend.status).toBe('QUEUED');
    const lifted = await settled(ok(await ask({ recipientId: id, kind: 'OBJECTION', lift: true, note: 'withdrawn by phone' })).requestDataSubjectAction.id);
    expect(lifted.recipient!.objected).toBe(false);
    expect(ok(await createSend(id, { purpose: 'service' })).createSend.status).toBe('QUEUED');
  });
});

describe('RECTIFICATION', () => {
  it('applies fields validated like upsertRecipient, and keeps no old value', async () => {
    const id = await recipient('cust-rect', { name: 'Eva Old', phone: '070-333 44 55' });
    const done = await settled(ok(await ask({ recipientId: id, kind: 'RECTIFICATION', rectification: { name: 'Eva New', phone: '070-765 43 21', locale: 'sv-SE' } })).requestDataSubjectAction.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.recipient).toMatchObject({ name: 'Eva New', phone: '+46707654321' });
    const search = async (text: string) =>
      (ok(await t.exec(`query($t: ID!, $s: String) { tenant(id: $t) { recipients(search: $s) { totalCount } } }`, { t: a.id, s: text }, a.keys.SENDER)) as { tenant: { recipients: { totalCount: number } } }).tenant.recipients.totalCount;
    expect(await search('+46703334455')).toBe(0);
    expect(await search('+46707654321')).toBe(1);
    const row = await t.app.prisma.dataSubjectRequest.findUniqueOrThrow({ where: { id: decodeGlobalId(done.id)!.id } });
    expect(row.rectificationEnc).toBeNull();
  });

  it('refuses an invalid phone number or an unknown field, naming it, and records nothing', async () => {
    const id = await recipient('cust-rect-bad', { phone: '070-444 55 66' });
    const before = await t.app.prisma.dataSubjectRequest.count();
    const badPhone = await ask({ recipientId: id, kind: 'RECTIFICATION', rectification: { name: 'X', phone: '12' } });
    expect(errorCodes(badPhone)).toEqual(['BAD_USER_INPUT']);
    expect(badPhone.errors![0]!.message).toMatch(/^rectification\.phone: /);
    const unknown = await ask({ recipientId: id, kind: 'RECTIFICATION', rectification: { nickname: 'Evi' } });
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.message).toMatch(/^rectification\.nickname: /);
    expect(errorCodes(await ask({ recipientId: id, kind: 'RECTIFICATION' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await ask({ recipientId: id, kind: 'ACCESS', lift: true }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await ask({ recipientId: id, kind: 'ACCESS', rectification: { name: 'X' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await t.app.prisma.dataSubjectRequest.count()).toBe(before);
  });
});

describe('access rules', () => {
  let id: string;
  let request: Request;
  beforeAll(async () => {
    id = await recipient('cust-rules', { phone: '070-555 66 77' });
    request = await settled(ok(await ask({ recipientId: id, kind: 'RESTRICTION' })).requestDataSubjectAction.id);
  });

  it('VIEWER and SENDER are FORBIDDEN; another tenant gets NOT_FOUND for the recipient', async () => {
    expect(errorCodes(await ask({ recipientId: id, kind: 'ACCESS' }, a.keys.VIEWER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await ask({ recipientId: id, kind: 'ACCESS' }, a.keys.SENDER))).toEqual(['FORBIDDEN']);
    for (const role of ['DPO', 'TENANT_ADMIN', 'SENDER', 'VIEWER'] as const) {
      expect(errorCodes(await ask({ recipientId: id, kind: 'ERASURE' }, b.keys[role])), role).toEqual(['NOT_FOUND']);
    }
    expect(await t.app.prisma.recipient.count({ where: { id: decodeGlobalId(id)!.id } })).toBe(1);
  });

  it("another tenant reads none of the requests, their fields or their list, and cannot extend them", async () => {
    for (const role of ['DPO', 'TENANT_ADMIN', 'SENDER', 'VIEWER'] as const) {
      const read = await t.exec(READ, { id: request.id }, b.keys[role]);
      expect(errorCodes(read), role).toEqual([expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]);
      const list = await t.exec(`query($t: ID!) { tenant(id: $t) { dataSubjectRequests { edges { node { id } } } } }`, { t: a.id }, b.keys[role]);
      expect(errorCodes(list), role).toEqual(['FORBIDDEN']);
      const extend = await t.exec(`mutation($id: ID!) { extendDataSubjectRequest(input: { id: $id, days: 10, reason: "x" }) { id } }`, { id: request.id }, b.keys[role]);
      expect(errorCodes(extend), role).toEqual(['FORBIDDEN']);
    }
    // Within the tenant, only the DPO and TENANT_ADMIN see requests.
    for (const role of ['SENDER', 'VIEWER'] as const) {
      expect(errorCodes(await t.exec(READ, { id: request.id }, a.keys[role])), role).toEqual(['FORBIDDEN']);
      const list = await t.exec(`query($t: ID!) { tenant(id: $t) { dataSubjectRequests { edges { node { id } } } } }`, { t: a.id }, a.keys[role]);
      expect(errorCodes(list), role).toEqual(['FORBIDDEN']);
    }
  });
});

describe('deadlines and the list', () => {
  let paused: TestApp;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let ids: string[];

  beforeAll(async () => {
    // No worker yet: the requests stay RECEIVED until one starts.
    paused = await createTestApp();
    tenant = await seedTenant(paused, 'Deadline AB');
    const r = ok(await paused.exec(`mutation($t: ID!) { upsertRecipient(input: { tenantId: $t, externalId: "d-1", phone: "070-999 88 77" }) { id } }`, { t: tenant.id })) as { upsertRecipient: { id: string } };
    ids = [];
    for (const kind of ['ACCESS', 'OBJECTION', 'RESTRICTION']) {
      const res = ok(await paused.exec(ASK, { input: { recipientId: r.upsertRecipient.id, kind } }, tenant.keys.DPO)) as { requestDataSubjectAction: Request };
      ids.push(res.requestDataSubjectAction.id);
    }
    // The first request is overdue: received 40 days ago.
    const first = decodeGlobalId(ids[0]!)!.id;
    const receivedAt = new Date(Date.now() - 40 * 86_400_000);
    await paused.app.prisma.dataSubjectRequest.update({ where: { id: first }, data: { receivedAt, dueAt: new Date(receivedAt.getTime() + 30 * 86_400_000), deadlineAt: new Date(receivedAt.getTime() + 30 * 86_400_000) } });
  });
  afterAll(() => paused?.close());

  const list = async (args = '') =>
    (ok(await paused.exec(`query($t: ID!) { tenant(id: $t) { dataSubjectRequests${args} { edges { node { id kind status overdue extendedUntil } } } } }`, { t: tenant.id }, tenant.keys.DPO)) as {
      tenant: { dataSubjectRequests: { edges: Array<{ node: { id: string; kind: string; status: string; overdue: boolean; extendedUntil: string | null } }> } };
    }).tenant.dataSubjectRequests.edges.map((e) => e.node);

  it('extends once, by 1 to 60 days, with the reason recorded', async () => {
    const extend = (days: number, reason = 'complex request: several systems') =>
      paused.exec(`mutation($id: ID!, $days: Int!, $reason: String!) { extendDataSubjectRequest(input: { id: $id, days: $days, reason: $reason }) { dueAt extendedUntil extensionReason } }`, { id: ids[2], days, reason }, tenant.keys.DPO) as Promise<
        GqlResult<{ extendDataSubjectRequest: { dueAt: string; extendedUntil: string; extensionReason: string } }>
      >;
    for (const days of [0, 61]) {
      const res = await extend(days);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/^days: must be between 1 and 60/);
    }
    expect(errorCodes(await extend(10, '  '))).toEqual(['BAD_USER_INPUT']);
    const extended = ok(await extend(10)).extendDataSubjectRequest;
    expect(new Date(extended.extendedUntil).getTime() - new Date(extended.dueAt).getTime()).toBe(10 * 86_400_000);
    expect(extended.extensionReason).toBe('complex request: several systems');
    const again = await extend(5);
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors![0]!.message).toMatch(/already extended once/);
    expect(errorCodes(await paused.exec(`mutation($id: ID!) { extendDataSubjectRequest(input: { id: $id, days: 5, reason: "x" }) { id } }`, { id: ids[1] }, tenant.keys.VIEWER))).toEqual(['FORBIDDEN']);
  });

  it('lists overdue and nearest due first, filters by status and kind', async () => {
    const all = await list();
    expect(all.map((r) => r.id)).toEqual([ids[0], ids[1], ids[2]]);
    expect(all.map((r) => r.overdue)).toEqual([true, false, false]);
    expect((await list('(kind: OBJECTION)')).map((r) => r.id)).toEqual([ids[1]]);
    expect((await list('(status: COMPLETED)')).map((r) => r.id)).toEqual([]);
  });

  it('requests received while no worker ran are carried out once one starts', async () => {
    paused.app.startDispatch();
    const done = await waitFor(() => list('(status: COMPLETED)'), (rows) => rows.length === 3);
    expect(done.map((r) => r.kind).sort()).toEqual(['ACCESS', 'OBJECTION', 'RESTRICTION']);
    // Closed requests come after open ones.
    expect(errorCodes(await paused.exec(`mutation($id: ID!) { extendDataSubjectRequest(input: { id: $id, days: 5, reason: "late" }) { id } }`, { id: ids[1] }, tenant.keys.DPO))).toEqual(['BAD_USER_INPUT']);
  });
});
