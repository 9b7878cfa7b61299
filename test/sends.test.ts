// Sends and campaigns end to end on the embedded default: the consent gate, idempotency,
// cancellation, dispatch through the dev plugins to DELIVERED, and gifts to REDEEMED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devOutbox } from '../plugins/dev/index.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const DefinePurpose = graphql(`
  mutation SendsDefinePurpose($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }
`);
const Configure = graphql(`
  mutation SendsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }
`);
const Upsert = graphql(`
  mutation SendsUpsert($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }
`);
const Consent = graphql(`
  mutation SendsConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id } }
`);
const Withdraw = graphql(`
  mutation SendsWithdraw($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }
`);
const CreateSend = graphql(`
  mutation SendsCreate($input: CreateSendInput!) {
    createSend(input: $input) { id status idempotencyKey scheduledAt channel purpose recipient { id } }
  }
`);
const CancelSend = graphql(`
  mutation SendsCancel($id: ID!) { cancelSend(id: $id) { id status statusReason } }
`);
const ReadSend = graphql(`
  query SendsRead($id: ID!) {
    send(id: $id) {
      id status statusReason provider providerMessageId attempts
      events { status at provider detail }
      gift { id provider offerId code url status redeemedAt }
    }
  }
`);
const CreateCampaign = graphql(`
  mutation SendsCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) { id name channel purpose stats { total queued blocked failed } }
  }
`);
const ReadCampaign = graphql(`
  query SendsReadCampaign($id: ID!) {
    node(id: $id) {
      ... on Campaign {
        id name
        stats { total queued sent delivered failed blocked canceled giftsRedeemed }
        sends(first: 10) { totalCount edges { node { status statusReason recipient { id } } } }
      }
    }
  }
`);

interface CampaignView {
  stats: { delivered: number; giftsRedeemed: number; blocked: number; failed: number };
  sends: { totalCount: number; edges: Array<{ node: { status: string; statusReason: string | null; recipient: { id: string } | null } }> };
}

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let alice: string;
let bob: string;
let carol: string;

const body = 'Hej {{name}}! Din kod: {{gift.code}}';

beforeAll(async () => {
  t = await createTestApp({}, { listen: true, dispatch: true });
  tenant = await seedTenant(t, 'Sends AB');
  const admin = tenant.keys.TENANT_ADMIN;
  ok(await t.exec(DefinePurpose, { input: { tenantId: tenant.id, key: 'offers', legalBasis: 'CONSENT' } }, admin));
  ok(await t.exec(DefinePurpose, { input: { tenantId: tenant.id, key: 'receipts', legalBasis: 'CONTRACT' } }, admin));
  ok(await t.exec(Configure, { input: { tenantId: tenant.id, pluginId: 'dev-sms', config: {} } }, admin));
  ok(await t.exec(Configure, { input: { tenantId: tenant.id, pluginId: 'dev-coupon', config: {} } }, admin));
  const sender = tenant.keys.SENDER;
  const person = async (externalId: string, phone: string | null, name: string) =>
    ok(await t.exec(Upsert, { input: { tenantId: tenant.id, externalId, phone, name } }, sender)).upsertRecipient.id;
  alice = await person('alice', '0701234567', 'Alice');
  bob = await person('bob', '0701234568', 'Bob');
  carol = await person('carol', null, 'Carol');
  for (const recipientId of [alice, carol]) {
    ok(await t.exec(Consent, { input: { recipientId, channel: 'SMS', purpose: 'offers', source: 'test-form' } }, sender));
  }
});
afterAll(() => t.close());

const readSend = async (id: string) => ok(await t.exec(ReadSend, { id })).send!;

describe('createSend', () => {
  it('goes QUEUED → SENDING → SENT → DELIVERED through the dev plugin, every step an event', async () => {
    const created = ok(await t.exec(CreateSend, { input: { recipientId: alice, channel: 'SMS', purpose: 'offers', message: { body: 'Hej {{name}}' } } }, tenant.keys.SENDER)).createSend;
    expect(created.status).toBe('QUEUED');
    expect(created.recipient?.id).toBe(alice);
    const send = await waitFor(() => readSend(created.id), (s) => s.status === 'DELIVERED');
    expect(send.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(send.provider).toBe('dev-sms');
    expect(send.providerMessageId).toMatch(/^dev-sms-/);
    expect(send.attempts).toBe(1);
  });

  it('issues the gift first, sends its code, and follows the redemption', async () => {
    const created = ok(
      await t.exec(CreateSend, { input: { recipientId: alice, channel: 'SMS', purpose: 'offers', message: { body }, gift: { offerId: 'coffee-1' } } }, tenant.keys.SENDER),
    ).createSend;
    const send = await waitFor(() => readSend(created.id), (s) => s.gift?.status === 'REDEEMED' && s.status === 'DELIVERED');
    expect(send.gift).toMatchObject({ provider: 'dev-coupon', offerId: 'coffee-1', status: 'REDEEMED' });
    expect(send.gift!.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(send.gift!.url).toContain(send.gift!.code!);
    expect(send.gift!.redeemedAt).not.toBeNull();
  });

  it('refuses without consent: CONSENT_REQUIRED, nothing queued, an audit event', async () => {
    const before = await t.app.prisma.send.count({ where: { tenantId: idOf(tenant.id) } });
    const refused = await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'offers', message: { body: 'x' } } }, tenant.keys.SENDER);
    expect(errorCodes(refused)).toEqual(['CONSENT_REQUIRED']);
    expect(refused.errors![0]!.message).toContain('No consent recorded for SMS / offers');
    expect(await t.app.prisma.send.count({ where: { tenantId: idOf(tenant.id) } })).toBe(before);
    const audit = await t.app.prisma.auditEvent.findFirst({ where: { action: 'send.refused.CONSENT_REQUIRED', targetId: idOf(bob) } });
    expect(audit).not.toBeNull();
  });

  it('sends on a CONTRACT purpose without consent', async () => {
    expect(await t.app.prisma.consent.count({ where: { recipientId: idOf(bob) } })).toBe(0);
    const refusals = () => t.app.prisma.auditEvent.count({ where: { action: { startsWith: 'send.refused.' }, targetId: idOf(bob) } });
    const refusedBefore = await refusals();
    const created = ok(await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'Kvitto' } } }, tenant.keys.SENDER)).createSend;
    expect(created.status).toBe('QUEUED');
    const send = await waitFor(() => readSend(created.id), (s) => s.status === 'DELIVERED');
    expect(send.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(send.provider).toBe('dev-sms');
    const messages = devOutbox.list().filter((m) => m.sendId === idOf(created.id));
    expect(messages).toEqual([expect.objectContaining({ pluginId: 'dev-sms', providerId: send.providerMessageId, fields: ['phone'], bodyLength: 'Kvitto'.length })]);
    expect(await refusals()).toBe(refusedBefore);
  });

  it('needs an enabled channel of the kind: NO_CHANNEL_CONFIGURED', async () => {
    const refused = await t.exec(CreateSend, { input: { recipientId: bob, channel: 'EMAIL', purpose: 'receipts', message: { body: 'x' } } }, tenant.keys.SENDER);
    expect(errorCodes(refused)).toEqual(['NO_CHANNEL_CONFIGURED']);
    const noCoupon = await t.exec(
      CreateSend,
      { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'x' }, gift: { pluginId: 'coupon-clearon', offerId: 'o' } } },
      tenant.keys.SENDER,
    );
    expect(errorCodes(noCoupon)).toEqual(['NO_CHANNEL_CONFIGURED']);
  });

  it('answers a repeated idempotency key with the first send, and other input with IDEMPOTENCY_CONFLICT', async () => {
    const input = { recipientId: bob, channel: 'SMS' as const, purpose: 'receipts', message: { body: 'Kvitto 42' }, idempotencyKey: 'order-42' };
    const first = ok(await t.exec(CreateSend, { input }, tenant.keys.SENDER)).createSend;
    const again = ok(await t.exec(CreateSend, { input }, tenant.keys.SENDER)).createSend;
    expect(again.id).toBe(first.id);
    expect(again.idempotencyKey).toBe('order-42');
    const conflict = await t.exec(CreateSend, { input: { ...input, message: { body: 'Kvitto 43' } } }, tenant.keys.SENDER);
    expect(errorCodes(conflict)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await t.app.prisma.send.count({ where: { idempotencyKey: 'order-42' } })).toBe(1);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const before = await t.app.prisma.send.count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channel: 'COUPON' }, 'channel'],
      [{ message: { body: '' } }, 'message.body'],
      [{ message: { body: 'Hej {{surname}}' } }, 'message.body'],
      [{ message: { body: 'Kod {{gift.code}}' } }, 'message.body'],
      [{ message: { body: 'x'.repeat(100_001) } }, 'message.body'],
      [{ purpose: 'no-such-purpose' }, 'purpose'],
      [{ idempotencyKey: 'k'.repeat(256) }, 'idempotencyKey'],
      [{ recipientId: carol, purpose: 'offers' }, 'recipientId'],
      [{ gift: { offerId: 'o', expiresAt: '2020-01-01T00:00:00Z' } }, 'gift.expiresAt'],
    ];
    for (const [change, field] of cases) {
      const input = { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'ok' }, ...change };
      const result = await t.exec(CreateSend, { input: input as never }, tenant.keys.SENDER);
      expect(errorCodes(result), JSON.stringify(change).slice(0, 80)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions?.field ?? result.errors![0]!.message).toContain(field);
    }
    expect(await t.app.prisma.send.count()).toBe(before);
  });

  it('stores the message only encrypted', async () => {
    const secret = 'Unique message text 7c1f9a';
    ok(await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { subject: secret, body: secret } } }, tenant.keys.SENDER));
    const rows = await t.app.db.query<{ row: string }>(`SELECT row_to_json(s)::text AS row FROM "Send" s`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) expect(row).not.toContain('7c1f9a');
  });
});

describe('cancelSend', () => {
  it('cancels a scheduled send, which is then never dispatched', async () => {
    const scheduledAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const created = ok(await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'later' }, scheduledAt } }, tenant.keys.SENDER)).createSend;
    expect(created.scheduledAt).toBe(scheduledAt);
    const cancelled = ok(await t.exec(CancelSend, { id: created.id }, tenant.keys.SENDER)).cancelSend;
    expect(cancelled).toMatchObject({ status: 'CANCELED', statusReason: 'Cancelled on request' });
    await t.app.prisma.send.update({ where: { id: idOf(created.id) }, data: { nextAttemptAt: new Date() } });
    await t.app.queue.enqueue([{ sendId: idOf(created.id), attempt: 0 }]);
    await new Promise((r) => setTimeout(r, 300));
    const send = await readSend(created.id);
    expect(send.status).toBe('CANCELED');
    expect(send.events.map((e) => e.status)).toEqual(['QUEUED', 'CANCELED']);
  });

  it('refuses a send that already reached the provider', async () => {
    const created = ok(await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'now' } } }, tenant.keys.SENDER)).createSend;
    await waitFor(() => readSend(created.id), (s) => s.status === 'DELIVERED');
    const refused = await t.exec(CancelSend, { id: created.id }, tenant.keys.SENDER);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toContain('DELIVERED');
  });

  it('is refused to a VIEWER', async () => {
    const created = ok(await t.exec(CreateSend, { input: { recipientId: bob, channel: 'SMS', purpose: 'receipts', message: { body: 'x' }, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() } }, tenant.keys.SENDER)).createSend;
    expect(errorCodes(await t.exec(CancelSend, { id: created.id }, tenant.keys.VIEWER))).toEqual(['FORBIDDEN']);
  });
});

describe('createCampaign', () => {
  it('blocks the recipients the consent gate refuses, fails those without an address, and delivers the rest with gifts', async () => {
    const created = ok(
      await t.exec(
        CreateCampaign,
        { input: { tenantId: tenant.id, name: 'Spring offer', channel: 'SMS', purpose: 'offers', message: { body }, gift: { offerId: 'spring' }, recipientIds: [alice, bob, carol] } },
        tenant.keys.SENDER,
      ),
    ).createCampaign;
    expect(created.stats).toEqual({ total: 3, queued: 1, blocked: 1, failed: 1 });
    const campaign = await waitFor(
      async () => ok(await t.exec(ReadCampaign, { id: created.id })).node as CampaignView,
      (c) => c.stats.delivered === 1 && c.stats.giftsRedeemed === 1,
    );
    expect(campaign.stats).toMatchObject({ blocked: 1, failed: 1, delivered: 1, giftsRedeemed: 1 });
    const byRecipient = new Map(campaign.sends.edges.map((e) => [e.node.recipient!.id, e.node]));
    expect(byRecipient.get(bob)).toMatchObject({ status: 'BLOCKED' });
    expect(byRecipient.get(bob)!.statusReason).toContain('CONSENT_REQUIRED');
    expect(byRecipient.get(carol)).toMatchObject({ status: 'FAILED', statusReason: 'The recipient has no phone number' });
  });

  it('reports an id of another tenant by its position', async () => {
    const other = await seedTenant(t, 'Other AB');
    const stranger = ok(await t.exec(Upsert, { input: { tenantId: other.id, externalId: 'x', phone: '0709999999' } }, other.keys.SENDER)).upsertRecipient.id;
    const result = await t.exec(
      CreateCampaign,
      { input: { tenantId: tenant.id, name: 'x', channel: 'SMS', purpose: 'receipts', message: { body: 'x' }, recipientIds: [alice, stranger] } },
      tenant.keys.SENDER,
    );
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors![0]!.message).toContain('recipientIds.1');
  });
});

describe('consent withdrawn after creation', () => {
  it('blocks the send at dispatch', async () => {
    const created = ok(
      await t.exec(CreateSend, { input: { recipientId: alice, channel: 'SMS', purpose: 'offers', message: { body: 'x' }, scheduledAt: new Date(Date.now() + 400).toISOString() } }, tenant.keys.SENDER),
    ).createSend;
    ok(await t.exec(Withdraw, { input: { recipientId: alice, channel: 'SMS', purpose: 'offers' } }, tenant.keys.SENDER));
    const send = await waitFor(() => readSend(created.id), (s) => s.status === 'BLOCKED');
    expect(send.statusReason).toContain('withdrawn');
  });
});

function idOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}
