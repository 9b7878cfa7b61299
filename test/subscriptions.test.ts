// Subscription.sendStatusChanged over graphql-ws (WebSocket) and SSE (yoga's own, and the
// graphql-sse protocol's endpoint): the statuses of the tenant's sends in order, nothing of
// another tenant, resume by cursor with every event exactly once, refusals at start, the end
// of a stream when its key is revoked or its token expires, and a stalled subscriber that is
// disconnected while dispatch goes on.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import { followEvents } from '../src/events/follow.ts';
import { encodeCursor, headPosition, readEventsAfter } from '../src/events/log.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { follow, SEND_STATUS_CHANGED, type StatusEvent, type Stream, type Transport } from './subscription-clients.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

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

describe('the send of an event', () => {
  it('is read from the database when a subscriber asks for more of it than its id', async () => {
    const after = await headCursor(acme);
    const query = SEND_STATUS_CHANGED.replace('send { id }', 'send { id purpose channel recipient { id } }');
    const stream = open('ws', url, acme.keys.VIEWER, { tenantId: acme.id, after }, query);
    const sendId = await createSend(acme);
    const events = (await stream.received(4)) as Array<StatusEvent & { send: { purpose: string; channel: string; recipient: { id: string } } }>;
    expect(events.map((e) => e.send)).toEqual(Array.from({ length: 4 }, () => ({ id: sendId, purpose: 'receipts', channel: 'SMS', recipient: { id: recipients[acme.id]![0] } })));
    stream.dispose();
  });
});

/** Every logged event of the campaign, once its sends have all reached DELIVERED. */
async function campaignLog(tenant: { id: string }, campaignId: string, people: number) {
  return waitFor(
    () => readEventsAfter(t.app.prisma, { tenantId: rawId(tenant.id), after: 0n, limit: 1000, campaignId: rawId(campaignId) }),
    (log) => log.filter((e) => e.status === 'DELIVERED').length === people,
    30_000,
  );
}

async function createCampaign(tenant: Awaited<ReturnType<typeof seedTenant>>, name: string): Promise<string> {
  const created = ok(
    await t.exec<{ createCampaign: { id: string } }, unknown>(
      `mutation($t: ID!, $n: String!) { createCampaign(input: { tenantId: $t, name: $n, channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }`,
      { t: tenant.id, n: name },
      tenant.keys.SENDER,
    ),
  );
  return created.createCampaign.id;
}

describe('resuming with a cursor', () => {
  it.each(TRANSPORTS)('over %s, a client that leaves mid-campaign and comes back with its last cursor ends with every event exactly once', async (transport) => {
    const after = await headCursor(acme);
    const campaignId = await createCampaign(acme, `Resume ${transport}`);
    const first = open(transport, url, acme.keys.VIEWER, { tenantId: acme.id, campaignId, after });
    const before = await first.received(7);
    first.dispose();
    const seen = before.slice(0, 7);
    const log = await campaignLog(acme, campaignId, 30);
    const second = open(transport, url, acme.keys.VIEWER, { tenantId: acme.id, campaignId, after: seen.at(-1)!.cursor });
    const rest = await second.received(log.length - seen.length);
    second.dispose();
    const all = [...seen, ...rest.slice(0, log.length - seen.length)];
    expect(all.map((e) => e.cursor)).toEqual(log.map((e) => e.cursor));
    expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
    for (const sendId of new Set(all.map((e) => e.send.id))) expect(statusesOf(all, sendId)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
  });
});

describe('refusals when a subscription starts', () => {
  it.each(TRANSPORTS)('over %s: no token, another tenant, a foreign send or campaign, a malformed id and a foreign cursor are refused with their codes', async (transport) => {
    const ws = transport === 'ws';
    const foreignSend = await createSend(other);
    const foreignCampaign = await createCampaign(other, `Foreign ${transport}`);
    const refused = async (token: string | null, args: Parameters<typeof follow>[3]) => {
      const stream = open(transport, url, token, args);
      const end = await stream.ended;
      expect(stream.events).toEqual([]);
      return end;
    };

    const anonymous = await refused(null, { tenantId: acme.id });
    if (ws) expect(anonymous.closeCode).toBe(4401);
    else expect(anonymous.errors.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);

    const foreignTenant = await refused(other.keys.VIEWER, { tenantId: acme.id });
    if (ws) expect(foreignTenant.closeCode).toBe(4403);
    else expect(foreignTenant.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);

    // Refused inside the subscription's start, after the token was accepted.
    const codes = async (token: string, args: Parameters<typeof follow>[3]) => (await refused(token, args)).errors.map((e) => e.code);
    const expectCode = (code: string) => [code];
    expect(await codes(acme.keys.VIEWER, { tenantId: acme.id, sendId: foreignSend })).toEqual(expectCode('NOT_FOUND'));
    expect(await codes(acme.keys.VIEWER, { tenantId: acme.id, campaignId: foreignCampaign })).toEqual(expectCode('NOT_FOUND'));
    expect(await codes(acme.keys.VIEWER, { tenantId: 'not-an-id' })).toEqual(expectCode('NOT_FOUND'));
    expect(await codes(acme.keys.VIEWER, { tenantId: acme.id, after: await headCursor(other) })).toEqual(expectCode('BAD_USER_INPUT'));
    expect(await codes(acme.keys.VIEWER, { tenantId: acme.id, after: 'garbage' })).toEqual(expectCode('BAD_USER_INPUT'));
  });
});

describe('ending open subscriptions', () => {
  it.each(TRANSPORTS)('over %s, revoking the API key ends its subscription with UNAUTHENTICATED', async (transport) => {
    const created = ok(
      await t.exec<{ createApiKey: { apiKey: { id: string }; secret: string } }, unknown>(
        `mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "partner", role: VIEWER }) { apiKey { id } secret } }`,
        { t: acme.id },
        acme.keys.TENANT_ADMIN,
      ),
    );
    const stream = open(transport, url, created.createApiKey.secret, { tenantId: acme.id, after: await headCursor(acme) });
    await createSend(acme);
    await stream.received(1);
    ok(await t.exec(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: created.createApiKey.apiKey.id }, acme.keys.TENANT_ADMIN));
    const end = await stream.ended;
    if (transport === 'ws') expect(end.closeCode).toBe(4401);
    else expect(end.errors.map((e) => e.code)).toContain('UNAUTHENTICATED');
  });

  it.each(TRANSPORTS)('over %s, a JWT reaching its expiry ends its subscription', async (transport) => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const jwt = await new SignJWT({ memberships: [{ tenantId: acme.id, role: 'VIEWER' }] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('partner-7')
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const stream = open(transport, url, jwt, { tenantId: acme.id });
    const end = await stream.ended;
    // Within the re-check interval of the expiry (5 s at most by default; 200 ms here).
    expect(Date.now()).toBeLessThan(expiresAt * 1000 + 5_000);
    if (transport === 'ws') expect(end.closeCode).toBe(4401);
    else expect(end.errors.map((e) => e.code)).toContain('UNAUTHENTICATED');
  });
});

describe('a stalled subscriber', () => {
  it('is ended with a resumable RATE_LIMITED error once its buffer stays full, while dispatch goes on; it resumes without loss', async () => {
    const tenantId = rawId(acme.id);
    const after = await headPosition(t.app.prisma, tenantId);
    const campaignId = await createCampaign(acme, 'Stalled');
    let fellBehind!: () => void;
    const stalledOut = new Promise<void>((resolve) => (fellBehind = resolve));
    // Takes nothing: the reader fills the bounded buffer and the first push waits for good.
    const stalled = followEvents(
      { prisma: t.app.prisma, readEvents: t.app.eventReader, events: t.app.events, settings: t.app.config.subscriptions, metrics: { subscriberFellBehind: fellBehind } },
      { tenantId, after, campaignId: rawId(campaignId), recheck: async () => {} },
    );
    const pending = stalled.next();
    const log = await campaignLog(acme, campaignId, 30);
    expect(log.length).toBe(120);
    const first = await pending;
    // Taking the next event before the stall is noticed would un-stall it.
    await stalledOut;
    const ending = await stalled.next().then(
      () => null,
      (err: unknown) => err,
    );
    expect(ending).toBeInstanceOf(AppError);
    expect((ending as AppError).code).toBe('RATE_LIMITED');
    expect((ending as AppError).message).toContain('SUBSCRIPTION_BUFFER_EVENTS');
    const resumeCursor = (ending as AppError).message.match(/after: "([^"]+)"/)?.[1] ?? first.value!.cursor;
    // Over a transport, the rest arrives from that cursor.
    const resumed = open('ws', url, acme.keys.VIEWER, { tenantId: acme.id, campaignId, after: resumeCursor });
    const rest = await resumed.received(log.length - log.findIndex((e) => e.cursor === resumeCursor) - 1);
    resumed.dispose();
    const seen = log.slice(0, log.findIndex((e) => e.cursor === resumeCursor) + 1);
    expect([...seen, ...rest].map((e) => e.cursor)).toEqual(log.map((e) => e.cursor));
  });
});
