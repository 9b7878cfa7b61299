// The inbox of provider reports: a report that arrives before its send has recorded the
// provider's id waits, and the sweeper's pass applies it once the send catches up, however
// many reports that match nothing are waiting ahead of it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../src/ids.ts';
import { applyWaitingEvents } from '../src/sends/provider-events.ts';
import { moveMany } from '../src/sends/status.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';

const Setup = graphql(`
  mutation InboxSetup($tenantId: ID!) {
    definePurpose(input: { tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT }) { key }
    configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
    upsertRecipient(input: { tenantId: $tenantId, externalId: "r1", phone: "+46701234567" }) { id }
  }
`);
const CreateSend = graphql(`
  mutation InboxSend($input: CreateSendInput!) { createSend(input: $input) { id } }
`);
const ReadSend = graphql(`
  query InboxRead($id: ID!) { send(id: $id) { status events { status provider at } } }
`);

let t: TestApp;
let tenantId: string;
let channelConfigId: string;
let sendGlobalId: string;
let sendId: string;

beforeAll(async () => {
  // No dispatcher: the test plays its part.
  t = await createTestApp();
  const tenant = await seedTenant(t, 'Inbox AB');
  const setup = ok(await t.exec(Setup, { tenantId: tenant.id }, tenant.keys.TENANT_ADMIN));
  tenantId = decodeGlobalId(tenant.id)!.id;
  channelConfigId = decodeGlobalId(setup.configureChannel.id)!.id;
  const input = { recipientId: setup.upsertRecipient.id, channel: 'SMS' as const, purpose: 'receipts', message: { body: 'Hej' } };
  sendGlobalId = ok(await t.exec(CreateSend, { input }, tenant.keys.SENDER)).createSend.id;
  sendId = decodeGlobalId(sendGlobalId)!.id;
});
afterAll(() => t.close());

const report = (providerRef: string, status: string, receivedAt = new Date()) => ({
  tenantId,
  channelConfigId,
  pluginId: 'dev-sms',
  kind: 'message',
  providerRef,
  status,
  occurredAt: receivedAt,
  receivedAt,
});

describe('provider reports that arrive early', () => {
  it('wait for their send, and the sweeper applies them past any number of unmatched ones', async () => {
    const early = new Date(Date.now() - 60_000);
    // More unmatched reports than one batch, all older than the one that matters.
    await t.app.prisma.providerEvent.createMany({ data: Array.from({ length: 600 }, () => report(`unknown-${randomUUID()}`, 'DELIVERED', early)) });
    const deliveredAt = new Date(Date.now() - 1_000);
    await t.app.prisma.providerEvent.create({ data: { ...report('dev-msg-1', 'DELIVERED'), occurredAt: deliveredAt } });

    expect(await applyWaitingEvents(t.app)).toBe(0);
    expect(ok(await t.exec(ReadSend, { id: sendGlobalId })).send!.status).toBe('QUEUED');

    // The dispatcher records the hand-over later than the provider says it delivered.
    await moveMany(t.app.prisma, [{ sendId, to: 'SENDING', provider: 'dev-sms' }]);
    await moveMany(t.app.prisma, [{ sendId, to: 'SENT', provider: 'dev-sms', providerMessageId: 'dev-msg-1' }]);
    expect(await applyWaitingEvents(t.app)).toBe(1);
    const send = ok(await t.exec(ReadSend, { id: sendGlobalId })).send!;
    expect(send.status).toBe('DELIVERED');
    // History keeps the order the status machine went through, with the provider's own time.
    expect(send.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(send.events.at(-1)).toMatchObject({ provider: 'dev-sms', at: deliveredAt.toISOString() });
    expect(await t.app.prisma.providerEvent.count({ where: { processedAt: null } })).toBe(600);
  });

  it('are given up after a day without a match', async () => {
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const { id } = await t.app.prisma.providerEvent.create({ data: report('never-ours', 'DELIVERED', dayAgo) });
    expect(await applyWaitingEvents(t.app)).toBe(1);
    expect((await t.app.prisma.providerEvent.findUniqueOrThrow({ where: { id } })).processedAt).not.toBeNull();
  });
});
