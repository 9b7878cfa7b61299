// Subscription.sendStatusChanged over graphql-ws (WebSocket) and SSE (yoga's own, and the
// graphql-sse protocol's endpoint): the statuses of the tenant's sends in order, nothing of
// another tenant, resume by cursor with every event exactly once, refusals at start, the end
// of a stream when its key is revoked or its token expires, and a stalled subscriber that is
// disconnected while dispatch goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, headPosition, readEventsAfter } from '../src/events/log.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { follow, type StatusEvent, type Stream, type Transport } from './subscription-clients.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';

const JWT_SECRET = 'subscriptions-test-only-hs256-secret';
const TRANSPORTS: Transport[] = ['ws', 'sse', 'graphql-sse'];

let t: TestApp;
let url: string;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
const recipients: Record<string, string[]> = {};
const streams: Stream[] = [];

const open = (...args: Parameters<typeof follow>) => {
  const stream = follow(...args);
  streams.push(stream);
  return stream;
};

async function setupTenant(tenant: Awaited<ReturnType<typeof seedTenant>>, people: number) {
  ok(
    await t.exec(
      `mutation($t: ID!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
      }`,
      { t: tenant.id },
      tenant.keys.TENANT_ADMIN,
    ),
  );
  const ids: string[] = [];
  for (let i = 0; i < people; i++) {
    const r = ok(await t.exec<{ upsertRecipient: { id: string } }, unknown>(`mutation($t: ID!, $x: String!, $p: String!) { upsertRecipient(input: { tenantId: $t, externalId: $x, phone: $p }) { id } }`, { t: tenant.id, x: `p-${i}`, p: `+4670${String(1_000_000 + i)}` }, tenant.keys.SENDER));
    ids.push(r.upsertRecipient.id);
  }
  recipients[tenant.id] = ids;
}

beforeAll(async () => {
  t = await createTestApp({ JWT_SECRET, SUBSCRIPTION_RECHECK_MS: '200', SUBSCRIPTION_BUFFER_EVENTS: '20', SUBSCRIPTION_STALL_MS: '300' }, { listen: true, dispatch: true });
  url = t.url!;
  acme = await seedTenant(t, 'Acme');
  other = await seedTenant(t, 'Other');
  await setupTenant(acme, 30);
  await setupTenant(other, 1);
});
afterAll(async () => {
  for (const s of streams) s.dispose();
  await t.close();
});

const rawId = (globalId: string) => decodeGlobalId(globalId)!.id;
/** The cursor of the tenant's latest event: a subscription after it sees exactly what happens next. */
const headCursor = async (tenant: { id: string }) => encodeCursor(rawId(tenant.id), await headPosition(t.app.prisma, rawId(tenant.id)));

async function createSend(tenant: Awaited<ReturnType<typeof seedTenant>>, index = 0): Promise<string> {
  const created = ok(
    await t.exec<{ createSend: { id: string } }, unknown>(
      `mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Kvitto" } }) { id } }`,
      { r: recipients[tenant.id]![index] },
      tenant.keys.SENDER,
    ),
  );
  return created.createSend.id;
}

const statusesOf = (events: StatusEvent[], sendId: string) => events.filter((e) => e.send.id === sendId).map((e) => e.status);

describe('sendStatusChanged', () => {
  it.each(TRANSPORTS)('gives a VIEWER key QUEUED → SENDING → SENT → DELIVERED over %s, and nothing of another tenant', async (transport) => {
    const after = await headCursor(acme);
    const mine = open(transport, url, acme.keys.VIEWER, { tenantId: acme.id, after });
    const theirs = open(transport, url, other.keys.VIEWER, { tenantId: other.id, after: await headCursor(other) });
    const foreign = await createSend(other);
    const sendId = await createSend(acme);
    const events = await mine.received(4);
    expect(statusesOf(events, sendId)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(events.every((e) => e.channel === 'SMS' && e.send.id === sendId)).toBe(true);
    expect(events[3]!.provider).toBe('dev-sms');
    // Cursors are positions in the log, in order.
    const log = await readEventsAfter(t.app.prisma, { tenantId: rawId(acme.id), after: 0n, limit: 1000, sendId: rawId(sendId) });
    expect(events.map((e) => e.cursor)).toEqual(log.map((e) => e.cursor));
    const foreignEvents = await theirs.received(4);
    expect(statusesOf(foreignEvents, foreign)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(mine.events.some((e) => e.send.id === foreign)).toBe(false);
    mine.dispose();
    theirs.dispose();
  });
});
