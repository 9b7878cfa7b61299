// ERASURE through GraphQL alone, against the providers' fakes: the person's data is gone from
// the database files (or, on PostgreSQL, from every row of every table) and from Redis, their
// sends stay as anonymous records so campaign statistics do not change, each subprocessor's
// answer is on the erasure ledger, and a second erasure is REJECTED.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLEARON_API_KEY, FAKE_CLEARON_WEBHOOK_SECRET, startClearOnFake } from '../plugins/coupon-clearon/fake-server.ts';
import { FAKE_BREVO_API_KEY, startBrevoFake, type FakeBrevo } from '../plugins/email-brevo/fake-server.ts';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../plugins/sms-46elks/fake-server.ts';
import { decodeGlobalId, encodeGlobalId } from '../src/ids.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const ANNA = { name: 'Anna Lindqvist', phone: '+46701234567', email: 'anna.lindqvist@example.com' };
const CARL = { name: 'Carl Nyberg', phone: '+46709876543' };

const redisEnv: Record<string, string> = process.env.REDIS_URL && process.env.DATABASE_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `era${randomBytes(4).toString('hex')}` } : {};

type Ledger = Array<{ pluginId: string; subprocessor: string; legalEntity: string; outcome: string; detail: string | null; attempts: number }>;
type Request = { id: string; kind: string; status: string; reason: string | null; completedAt: string | null; export: unknown; recipient: { id: string } | null; erasureLedger: Ledger };

const ASK = `mutation($input: DataSubjectActionInput!) { requestDataSubjectAction(input: $input) { id status } }`;
const READ = `query($id: ID!) { node(id: $id) { ... on DataSubjectRequest { id kind status reason completedAt export recipient { id }
  erasureLedger { pluginId subprocessor legalEntity outcome detail attempts } } } }`;

let dataDir: string | undefined;
let t: TestApp;
let closed = false;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let elks: Fake46elks;
let brevo: FakeBrevo;
let clearOn: Awaited<ReturnType<typeof startClearOnFake>>;

beforeAll(async () => {
  // Embedded mode keeps PGlite's files in a directory of its own, to be read raw at the end.
  dataDir = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), 'erasure-'));
  t = await createTestApp({ ...redisEnv, ERASURE_RETRY_BASE_MS: '20' }, { listen: true, dispatch: true, dataDir });
  [elks, brevo, clearOn] = await Promise.all([start46elksFake({ autoDeliverAfterMs: 10 }), startBrevoFake(), startClearOnFake()]);
  tenant = await seedTenant(t, 'Erasure AB');
  const admin = tenant.keys.TENANT_ADMIN;
  ok(await t.exec(`mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "offers", legalBasis: CONSENT }) { key } }`, { t: tenant.id }, admin));
  for (const [pluginId, config] of [
    ['sms-46elks', { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Acme', baseUrl: elks.baseUrl, timeoutMs: 2000 }],
    ['email-brevo', { apiKey: FAKE_BREVO_API_KEY, senderEmail: 'news@acme.example', baseUrl: brevo.baseUrl, timeoutMs: 2000 }],
    ['coupon-clearon', { apiKey: FAKE_CLEARON_API_KEY, webhookSecret: FAKE_CLEARON_WEBHOOK_SECRET, baseUrl: clearOn.baseUrl, timeoutMs: 2000 }],
  ] as const) {
    ok(await t.exec(`mutation($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }`, { input: { tenantId: tenant.id, pluginId, config } }, admin));
  }
});
afterAll(async () => {
  if (!closed) await t?.close();
  await Promise.all([elks?.close(), brevo?.close(), clearOn?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function person(externalId: string, fields: Record<string, string>, channels: Array<'SMS' | 'EMAIL'>) {
  const res = ok(await t.exec(`mutation($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }`, { input: { tenantId: tenant.id, externalId, ...fields } }, tenant.keys.SENDER)) as {
    upsertRecipient: { id: string };
  };
  for (const channel of channels) {
    ok(await t.exec(`mutation($r: ID!, $c: Channel!) { recordConsent(input: { recipientId: $r, channel: $c, purpose: "offers", source: "shop-signup", proof: "Offers terms v2" }) { granted } }`, { r: res.upsertRecipient.id, c: channel }, tenant.keys.SENDER));
  }
  return res.upsertRecipient.id;
}

const sendStatus = async (id: string) => (ok(await t.exec(`query($id: ID!) { send(id: $id) { status recipient { id } } }`, { id }, tenant.keys.SENDER)) as { send: { status: string; recipient: { id: string } | null } }).send;

async function createSend(input: Record<string, unknown>) {
  const res = ok(await t.exec(`mutation($input: CreateSendInput!) { createSend(input: $input) { id } }`, { input: { purpose: 'offers', ...input } }, tenant.keys.SENDER)) as { createSend: { id: string } };
  return res.createSend.id;
}

const stats = async (campaignId: string) =>
  (ok(await t.exec(`query($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed blocked canceled giftsRedeemed } } } }`, { id: campaignId }, tenant.keys.SENDER)) as {
    node: { stats: Record<string, number> };
  }).node.stats;

async function settled(id: string): Promise<Request> {
  return waitFor(
    async () => (ok(await t.exec(READ, { id }, tenant.keys.DPO)) as { node: Request }).node,
    (r) => r.status === 'COMPLETED' || r.status === 'REJECTED',
  );
}

const erase = async (recipientId: string) => (ok(await t.exec(ASK, { input: { recipientId, kind: 'ERASURE' } }, tenant.keys.DPO)) as { requestDataSubjectAction: { id: string } }).requestDataSubjectAction.id;

describe('ERASURE', () => {
  let anna: string;
  let campaignId: string;
  let statsBefore: Record<string, number>;
  let annaSends: string[];
  let request: Request;

  beforeAll(async () => {
    anna = await person('cust-anna', { name: ANNA.name, phone: '070-123 45 67', email: ANNA.email }, ['SMS', 'EMAIL']);
    const bob = await person('cust-bob', { name: 'Bob', phone: '070-765 43 21' }, ['SMS']);
    const campaign = ok(
      await t.exec(`mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`, { input: { tenantId: tenant.id, name: 'Spring', channel: 'SMS', purpose: 'offers', message: { body: 'Hello {{name}}' }, recipientIds: [anna, bob] } }, tenant.keys.SENDER),
    ) as { createCampaign: { id: string } };
    campaignId = campaign.createCampaign.id;
    const gift = await createSend({ recipientId: anna, channel: 'SMS', message: { body: `Hi ${ANNA.name}, a coffee: {{gift.code}}` }, gift: { offerId: 'coffee' } });
    const mail = await createSend({ recipientId: anna, channel: 'EMAIL', message: { subject: `For ${ANNA.email}`, body: `Dear ${ANNA.name}` } });
    await waitFor(() => stats(campaignId), (s) => s.delivered === 2);
    await waitFor(() => sendStatus(gift), (s) => s.status === 'DELIVERED');
    await waitFor(() => sendStatus(mail), (s) => s.status === 'SENT');
    statsBefore = await stats(campaignId);
    annaSends = (await t.app.prisma.send.findMany({ where: { recipientId: decodeGlobalId(anna)!.id }, select: { id: true } })).map((s) => s.id);
    expect(annaSends).toHaveLength(3);
    expect([...elks.messages.values()].filter((m) => m.to === ANNA.phone)).toHaveLength(2);

    request = await settled(await erase(anna));
  });

  it('completes once every subprocessor answered; the ledger shows each answer from its fake', () => {
    expect(request).toMatchObject({ kind: 'ERASURE', status: 'COMPLETED', recipient: null, export: null });
    const byPlugin = Object.fromEntries(request.erasureLedger.map((row) => [row.pluginId, row]));
    expect(Object.keys(byPlugin).sort()).toEqual(['coupon-clearon', 'email-brevo', 'sms-46elks']);
    expect(byPlugin['sms-46elks']).toMatchObject({ outcome: 'CONFIRMED', detail: 'deleted 2 message(s) at 46elks', attempts: 1, legalEntity: expect.stringMatching(/46elks/i) });
    expect(byPlugin['email-brevo']).toMatchObject({ outcome: 'CONFIRMED', attempts: 1 });
    expect(byPlugin['email-brevo']!.detail).toMatch(/^asked Brevo to delete 2 transactional log set/);
    expect(byPlugin['coupon-clearon']).toMatchObject({ outcome: 'NOT_SUPPORTED' });
    // The fakes no longer hold the person: 46elks deleted their messages, Brevo was asked by address and message id.
    expect([...elks.messages.values()].filter((m) => m.to === ANNA.phone)).toEqual([]);
    expect([...elks.messages.values()].map((m) => m.to)).toEqual(['+46707654321']);
    expect(brevo.deletions).toContain(ANNA.email);
  });

  it('keeps the sends as anonymous records, so campaign statistics do not change', async () => {
    expect(await stats(campaignId)).toEqual(statsBefore);
    const sends = await t.app.prisma.send.findMany({ where: { id: { in: annaSends } }, include: { events: true, gift: true } });
    expect(sends).toHaveLength(3);
    for (const send of sends) {
      expect(send).toMatchObject({ recipientId: null, messageEnc: null });
      expect(send.events.map((e) => e.status)).toEqual(expect.arrayContaining(["QUEUED", "SENDING", "SENT"]));
    }
    const gift = sends.find((s) => s.gift)!.gift!;
    expect(gift).toMatchObject({ codeEnc: null, urlEnc: null, offerId: 'coffee' });
    expect(await t.app.prisma.recipient.count({ where: { id: decodeGlobalId(anna)!.id } })).toBe(0);
    expect(await t.app.prisma.consent.count({ where: { recipientId: decodeGlobalId(anna)!.id } })).toBe(0);
    // Through GraphQL: the send is there, its recipient null, its status kept.
    for (const id of annaSends) {
      const send = await sendStatus(encodeGlobalId('Send', id));
      expect(send.recipient).toBeNull();
      expect(['DELIVERED', 'SENT']).toContain(send.status);
    }
  });

  it('answers a second erasure of the same person REJECTED, not an error; other requests about them too', async () => {
    const again = await settled(await erase(anna));
    expect(again.status).toBe('REJECTED');
    expect(again.reason).toMatch(/^The recipient was already erased on /);
    expect(again.erasureLedger).toEqual([]);
    const access = await settled((ok(await t.exec(ASK, { input: { recipientId: anna, kind: 'ACCESS' } }, tenant.keys.DPO)) as { requestDataSubjectAction: { id: string } }).requestDataSubjectAction.id);
    expect(access.status).toBe('REJECTED');
    // The id names nothing for other tenants, as before.
    const other = await seedTenant(t, 'Stranger AB');
    expect(errorCodes(await t.exec(ASK, { input: { recipientId: anna, kind: 'ERASURE' } }, other.keys.DPO))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.exec(READ, { id: request.id }, other.keys.DPO))).toEqual([expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]);
    expect(errorCodes(await t.exec(READ, { id: request.id }, tenant.keys.SENDER))).toEqual(['FORBIDDEN']);
  });

  it('puts the erasure and each ledger outcome in the audit log, without personal data', async () => {
    const res = ok(await t.exec(`query($t: ID!) { tenant(id: $t) { auditLog(first: 100) { edges { node { action targetType targetId } } } } }`, { t: tenant.id }, tenant.keys.DPO)) as {
      tenant: { auditLog: { edges: Array<{ node: { action: string; targetType: string; targetId: string } }> } };
    };
    const actions = res.tenant.auditLog.edges.map((e) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['recipient.erased', 'erasure.confirmed', 'erasure.not_supported', 'dataSubjectRequest.completed', 'dataSubjectRequest.rejected']));
    expect(JSON.stringify(res)).not.toMatch(/Anna|Lindqvist|701234567/);
  });

  it('a provider that does not answer is retried on the queue, then settled FAILED with the reason; the request still completes', async () => {
    const carl = await person('cust-carl', { name: CARL.name, phone: '070-987 65 43' }, ['SMS']);
    const sms = await createSend({ recipientId: carl, channel: 'SMS', message: { body: 'Hi {{name}}' } });
    await waitFor(() => sendStatus(sms), (s) => s.status === 'DELIVERED');
    await elks.close();
    const done = await settled(await erase(carl));
    expect(done.status).toBe('COMPLETED');
    expect(done.erasureLedger).toEqual([expect.objectContaining({ pluginId: 'sms-46elks', outcome: 'FAILED', attempts: 3, detail: 'gave up after 3 attempts: network' })]);
  });

  it('leaves nothing of the person in the database files, any table or Redis', async () => {
    const needles = [ANNA.name, 'Lindqvist', ANNA.phone, '701234567', ANNA.email, CARL.name, CARL.phone];
    if (redisEnv.REDIS_URL) {
      const redis = new Redis(redisEnv.REDIS_URL);
      try {
        const keys = await redis.keys(`${redisEnv.REDIS_PREFIX}*`);
        expect(keys.length).toBeGreaterThan(0);
        let dump = keys.join('\n');
        for (const key of keys) {
          const type = await redis.type(key);
          const value =
            type === 'string' ? await redis.get(key)
            : type === 'hash' ? await redis.hgetall(key)
            : type === 'list' ? await redis.lrange(key, 0, -1)
            : type === 'set' ? await redis.smembers(key)
            : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
            : type === 'stream' ? await redis.xrange(key, '-', '+')
            : null;
          dump += `\n${JSON.stringify(value)}`;
        }
        for (const needle of needles) expect(dump, needle).not.toContain(needle);
      } finally {
        redis.disconnect();
      }
    }
    if (process.env.DATABASE_URL) {
      // Every row of every table, as text (bytea columns as hex, so clear bytes show too).
      const tables = await t.app.prisma.$queryRawUnsafe<Array<{ name: string }>>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      expect(tables.map((r) => r.name)).toEqual(expect.arrayContaining(['Recipient', 'Send', 'Gift', 'ErasureLedgerEntry', 'AuditEvent']));
      let dump = '';
      for (const { name } of tables) {
        const rows = await t.app.prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM "${name}" t`);
        dump += rows.map((r) => r.row).join('\n');
      }
      for (const needle of needles) {
        expect(dump, needle).not.toContain(needle);
        expect(dump, `${needle} (hex)`).not.toContain(Buffer.from(needle).toString('hex'));
      }
    } else {
      // PGlite's own files, read as bytes after it closed.
      await t.close();
      closed = true;
      const files = (await readdir(dataDir!, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(10);
      for (const file of files) {
        const bytes = await readFile(join(file.parentPath, file.name));
        for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file.name}`).toBe(false);
      }
    }
  });
});
