// The event log: every status change of a send and of its gift is one SendEvent row with a
// per-tenant position that follows commit order, read back in order and woken through the bus.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import type { PrismaClient } from '../src/db/client.ts';
import { decodeCursor, encodeCursor, headPosition, positionOf, readEventsAfter, sharedEventReader, type LoggedEvent } from '../src/events/log.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { moveMany } from '../src/sends/status.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let tenantId: string;
let recipientId: string;

beforeAll(async () => {
  t = await createTestApp({}, { listen: true, dispatch: true });
  tenant = await seedTenant(t, 'Log AB');
  tenantId = decodeGlobalId(tenant.id)!.id;
  const setup = ok(
    await t.exec<{ upsertRecipient: { id: string } }, { tenantId: string }>(
      `mutation($tenantId: ID!) {
        definePurpose(input: { tenantId: $tenantId, key: "offers", legalBasis: CONTRACT }) { key }
        sms: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
        coupon: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-coupon", config: {} }) { id }
        upsertRecipient(input: { tenantId: $tenantId, externalId: "anna-1", name: "Anna Andersson", phone: "+46701234567" }) { id }
      }`,
      { tenantId: tenant.id },
      tenant.keys.TENANT_ADMIN,
    ),
  );
  recipientId = setup.upsertRecipient.id;
});
afterAll(() => t.close());

const readAll = async (opts: { sendId?: string; campaignId?: string } = {}) => {
  const events: LoggedEvent[] = [];
  for (let after = 0n; ; ) {
    const page = await readEventsAfter(t.app.prisma, { tenantId, after, limit: 100, ...opts });
    events.push(...page);
    if (page.length < 100) return events;
    after = page.at(-1)!.position;
  }
};

describe('the event log', () => {
  it('records a gift send from QUEUED to DELIVERED and the gift from ISSUED to REDEEMED, in position order, and wakes the bus', async () => {
    const woken: bigint[] = [];
    const unsubscribe = t.app.events.subscribe(tenantId, (position) => woken.push(position));
    const before = await headPosition(t.app.prisma, tenantId);
    const created = ok(
      await t.exec<{ createSend: { id: string } }, unknown>(
        `mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "offers", message: { body: "Hej {{name}}: {{gift.code}}" }, gift: { offerId: "coffee" } }) { id } }`,
        { r: recipientId },
        tenant.keys.SENDER,
      ),
    );
    const sendId = decodeGlobalId(created.createSend.id)!.id;
    const events = await waitFor(
      () => readAll({ sendId }),
      (list) => list.some((e) => e.giftStatus === 'REDEEMED') && list.some((e) => e.status === 'DELIVERED' && !e.giftStatus),
    );
    const sendSteps = events.filter((e) => !e.giftStatus).map((e) => e.status);
    expect(sendSteps).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(events.filter((e) => e.giftStatus).map((e) => e.giftStatus)).toEqual(['ISSUED', 'REDEEMED']);
    // Positions only grow, without gaps inside this tenant's quiet log.
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => before + BigInt(i + 1)));
    for (const e of events) {
      expect(e).toMatchObject({ tenantId, sendId, campaignId: null, channel: 'SMS', cursor: encodeCursor(tenantId, e.position) });
    }
    expect(events.find((e) => e.status === 'DELIVERED' && !e.giftStatus)!.providerAt).toBeInstanceOf(Date);
    expect(events.find((e) => e.giftStatus === 'REDEEMED')!.provider).toBe('dev-coupon');
    // Nothing personal: not the name, the phone number or the gift's code.
    const text = JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toMatch(/Anna|46701234567|anna-1/);
    const code = ok(await t.exec<{ send: { gift: { code: string } } }, unknown>(`query($id: ID!) { send(id: $id) { gift { code } } }`, { id: created.createSend.id })).send.gift.code;
    expect(text).not.toContain(code);
    // The bus was told of every position written, up to the last one.
    await waitFor(async () => woken, (w) => w.includes(events.at(-1)!.position));
    expect(woken.every((p) => p > before)).toBe(true);
    unsubscribe();
    // Send.events still lists the send's own statuses only.
    const read = ok(await t.exec<{ send: { events: Array<{ status: string }> } }, unknown>(`query($id: ID!) { send(id: $id) { events { status } } }`, { id: created.createSend.id }));
    expect(read.send.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
  });

  it('hands out positions in commit order: a reader tailing "after N" while writers race sees every event exactly once', async () => {
    const other = await seedTenant(t, 'Other log AB');
    const otherId = decodeGlobalId(other.id)!.id;
    // Sends written directly, QUEUED, no dispatcher involved: the writers below move them.
    const ids = { [tenantId]: [] as string[], [otherId]: [] as string[] };
    for (const tid of [tenantId, otherId]) {
      ids[tid] = Array.from({ length: 60 }, () => randomUUID());
      await t.app.prisma.send.createMany({ data: ids[tid].map((id) => ({ id, tenantId: tid, channel: 'SMS' as const, purposeKey: 'offers', createdBy: 'test', status: 'QUEUED' as const })) });
    }
    const start = await headPosition(t.app.prisma, tenantId);
    // Each writer moves sends of both tenants in one statement, in an order of its own.
    const writers = Array.from({ length: 12 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 5; i++) {
          const batch = [ids[tenantId][w * 5 + i]!, ids[otherId][w * 5 + i]!];
          if (w % 2) batch.reverse();
          for (const to of ['SENDING', 'SENT', 'DELIVERED'] as const) await moveMany(t.app.prisma, batch.map((sendId) => ({ sendId, to })));
        }
      })(),
    );
    const seen: LoggedEvent[] = [];
    let after = start;
    const tail = async () => {
      const page = await readEventsAfter(t.app.prisma, { tenantId, after, limit: 50 });
      seen.push(...page);
      if (page.length) after = page.at(-1)!.position;
      return seen.length;
    };
    const written = Promise.all(writers);
    let done = false;
    void written.then(() => (done = true));
    while (!done) await tail();
    await written;
    await tail();
    expect(seen).toHaveLength(60 * 3);
    const keys = seen.map((e) => `${e.sendId}:${e.status}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(seen.every((e, i) => i === 0 || e.position > seen[i - 1]!.position)).toBe(true);
    expect(seen.every((e) => e.tenantId === tenantId)).toBe(true);
  });

  it('filters by campaign', async () => {
    const campaign = ok(
      await t.exec<{ createCampaign: { id: string } }, unknown>(
        `mutation($t: ID!, $r: ID!) { createCampaign(input: { tenantId: $t, name: "Spring", recipientIds: [$r], channel: SMS, purpose: "offers", message: { body: "Hej" } }) { id } }`,
        { t: tenant.id, r: recipientId },
        tenant.keys.SENDER,
      ),
    );
    const campaignId = decodeGlobalId(campaign.createCampaign.id)!.id;
    const events = await waitFor(() => readAll({ campaignId }), (list) => list.some((e) => e.status === 'DELIVERED'));
    expect(events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(events.every((e) => e.campaignId === campaignId)).toBe(true);
  });
});

describe('shared reads', () => {
  it('answer the subscribers asking for the same page at once with one query, and never answer a later request from a read under way', async () => {
    let queries = 0;
    const counted = { $queryRawUnsafe: (...args: Parameters<PrismaClient['$queryRawUnsafe']>) => (queries++, t.app.prisma.$queryRawUnsafe(...args)) } as unknown as PrismaClient;
    const read = sharedEventReader(counted);
    const page = { tenantId, after: 0n, limit: 1000 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => read(page)));
    expect(queries).toBe(1);
    expect(answers[0]!.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toBe(answers[0]);
    // Another filter or position is another query.
    await Promise.all([read(page), read({ ...page, after: 1n })]);
    expect(queries).toBe(3);

    const underWay = read(page);
    // Reads start on the next turn of the event loop: this one has now started.
    await new Promise((resolve) => setImmediate(resolve));
    const created = ok(
      await t.exec<{ createSend: { id: string } }, unknown>(
        `mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "offers", message: { body: "Hej" } }) { id } }`,
        { r: recipientId },
        tenant.keys.SENDER,
      ),
    );
    const later = await read(page);
    expect(queries).toBe(5);
    expect(later.some((event) => event.sendId === decodeGlobalId(created.createSend.id)!.id)).toBe(true);
    await underWay;
  });
});

describe('cursors', () => {
  it('round-trip, and refuse garbage and other tenants’ cursors with BAD_USER_INPUT', () => {
    const cursor = encodeCursor(tenantId, 42n);
    expect(decodeCursor(cursor)).toEqual({ tenantId, position: 42n });
    expect(positionOf(cursor, tenantId)).toBe(42n);
    for (const bad of ['', 'nope', 'ev1:x:1', Buffer.from(`ev1:${tenantId}:-1`).toString('base64url'), Buffer.from(`ev2:${tenantId}:1`).toString('base64url'), '%%%']) {
      expect(() => decodeCursor(bad)).toThrowError(AppError);
      try {
        decodeCursor(bad);
      } catch (err) {
        expect((err as AppError).code).toBe('BAD_USER_INPUT');
        expect((err as AppError).message).toMatch(/^after: /);
      }
    }
    expect(() => positionOf(encodeCursor(randomUUID(), 1n), tenantId)).toThrowError(/another tenant/);
  });
});
