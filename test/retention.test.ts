// Retention: the policy (bounds, roles, tenants) and the sweep that applies it, driven by an
// injected clock. Sends reach DELIVERED through the local catchers; their ages are set in SQL.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { eraseRecipient } from '../src/privacy/erasure.ts';
import { timerSchedule } from '../src/privacy/retention-schedule.ts';
import { sweepRetention } from '../src/privacy/retention-sweep.ts';
import { decodeGlobalId, encodeGlobalId } from '../src/ids.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const DAY = 86_400_000;

const Setup = graphql(`
  mutation RetentionSetup($tenantId: ID!) {
    definePurpose(input: { tenantId: $tenantId, key: "offers", legalBasis: CONTRACT }) { key }
    sms: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-coupon", config: {} }) { id }
  }
`);
const AddRecipient = graphql(`
  mutation RetentionRecipient($tenantId: ID!, $externalId: String!, $phone: String!) {
    upsertRecipient(input: { tenantId: $tenantId, externalId: $externalId, phone: $phone, name: "Anna" }) { id }
  }
`);
const Consent = graphql(`
  mutation RetentionConsent($recipientId: ID!) {
    recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: "offers", source: "form", proof: "v1" }) { granted }
  }
`);
const SendGift = graphql(`
  mutation RetentionSend($recipientId: ID!) {
    createSend(input: { recipientId: $recipientId, channel: SMS, purpose: "offers", message: { body: "Code {{gift.code}}" }, gift: { offerId: "coffee" } }) { id }
  }
`);
const Campaign = graphql(`
  mutation RetentionCampaign($tenantId: ID!, $recipientIds: [ID!]!) {
    createCampaign(input: { tenantId: $tenantId, name: "Spring", channel: SMS, purpose: "offers", message: { body: "Hi {{name}}" }, recipientIds: $recipientIds }) { id }
  }
`);
const ReadSend = graphql(`
  query RetentionReadSend($id: ID!) {
    send(id: $id) { status channel createdAt contentErasedAt events { status } gift { status offerId code url } recipient { id } }
  }
`);
const ReadCampaign = graphql(`
  query RetentionReadCampaign($id: ID!) {
    node(id: $id) { ... on Campaign { contentErasedAt stats { total delivered } } }
  }
`);
const ReadRecipient = graphql(`
  query RetentionReadRecipient($id: ID!) { recipient(id: $id) { id } }
`);
const Policy = graphql(`
  query RetentionPolicyRead($id: ID!) { tenant(id: $id) { retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays } } }
`);
const UpdatePolicy = graphql(`
  mutation RetentionPolicyUpdate($input: UpdateRetentionPolicyInput!) {
    updateRetentionPolicy(input: $input) { sendDataDays inactiveRecipientDays auditLogDays }
  }
`);
const AuditLog = graphql(`
  query RetentionAudit($id: ID!) { tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId detail } } } } }
`);

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
/** Each sweep runs a day later than the one before, so it may claim every tenant again. */
let clock = Date.now();
const nextClock = () => {
  clock += DAY;
  const at = new Date(clock);
  return () => at;
};

const rawId = (globalId: string) => decodeGlobalId(globalId)!.id;
const ago = (days: number) => new Date(clock - days * DAY);

async function recipient(externalId: string, phone: string): Promise<string> {
  return ok(await t.exec(AddRecipient, { tenantId: tenant.id, externalId, phone }, tenant.keys.SENDER)).upsertRecipient.id;
}

/** Sends with a gift, once each is DELIVERED and its gift REDEEMED (the catchers report both). */
async function deliveredSends(recipientId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(ok(await t.exec(SendGift, { recipientId }, tenant.keys.SENDER)).createSend.id);
  for (const id of ids) await waitFor(async () => ok(await t.exec(ReadSend, { id })).send!, (send) => send.status === 'DELIVERED' && send.gift?.status === 'REDEEMED');
  return ids;
}

async function setSendCreatedAt(sendGlobalId: string, at: Date) {
  await t.app.prisma.$executeRaw`UPDATE "Send" SET "createdAt" = ${at} WHERE "id" = ${rawId(sendGlobalId)}::uuid`;
}

async function runEvents(tenantId: string) {
  const edges = ok(await t.exec(AuditLog, { id: tenantId }, tenant.keys.DPO)).tenant!.auditLog.edges;
  return edges.map((e) => e.node).filter((e) => e.action === 'retention.run');
}

beforeAll(async () => {
  t = await createTestApp({ SWEEP_INTERVAL_MS: '3600000' }, { listen: true, dispatch: true });
  tenant = await seedTenant(t, 'Retention AB');
  other = await seedTenant(t, 'Other AB');
  ok(await t.exec(Setup, { tenantId: tenant.id }, tenant.keys.TENANT_ADMIN));
}, 60_000);
afterAll(() => t.close());

describe('the retention policy', () => {
  it('starts at the seed policy and changes only the periods given', async () => {
    expect(ok(await t.exec(Policy, { id: other.id }, other.keys.VIEWER)).tenant!.retentionPolicy).toEqual({ sendDataDays: 30, inactiveRecipientDays: 730, auditLogDays: 365 });
    const updated = ok(await t.exec(UpdatePolicy, { input: { tenantId: other.id, sendDataDays: 7 } }, other.keys.TENANT_ADMIN)).updateRetentionPolicy;
    expect(updated).toEqual({ sendDataDays: 7, inactiveRecipientDays: 730, auditLogDays: 365 });
    const byOperator = ok(await t.exec(UpdatePolicy, { input: { tenantId: other.id, auditLogDays: 400, sendDataDays: null } })).updateRetentionPolicy;
    expect(byOperator).toEqual({ sendDataDays: 7, inactiveRecipientDays: 730, auditLogDays: 400 });
    const audit = ok(await t.exec(AuditLog, { id: other.id }, other.keys.DPO)).tenant!.auditLog.edges.map((e) => e.node);
    expect(audit.filter((e) => e.action === 'retention.policy.updated').map((e) => e.detail)).toEqual([
      { sendDataDays: 7, inactiveRecipientDays: 730, auditLogDays: 400 },
      { sendDataDays: 7, inactiveRecipientDays: 730, auditLogDays: 365 },
    ]);
  });

  it('refuses a period out of bounds naming the field and the bounds, and applies nothing', async () => {
    const before = ok(await t.exec(Policy, { id: other.id }, other.keys.VIEWER)).tenant!.retentionPolicy;
    const cases = [
      [{ sendDataDays: 0 }, 'sendDataDays', 'from 1 to 3650'],
      [{ sendDataDays: 100_000 }, 'sendDataDays', 'from 1 to 3650'],
      [{ inactiveRecipientDays: 29 }, 'inactiveRecipientDays', 'from 30 to 3650'],
      [{ inactiveRecipientDays: 100_000 }, 'inactiveRecipientDays', 'from 30 to 3650'],
      [{ auditLogDays: 0 }, 'auditLogDays', 'from 30 to 3650'],
      // The valid period in the same input is not applied either.
      [{ sendDataDays: 60, auditLogDays: 100_000 }, 'auditLogDays', 'from 30 to 3650'],
    ] as const;
    for (const [periods, field, bounds] of cases) {
      const result = await t.exec(UpdatePolicy, { input: { tenantId: other.id, ...periods } }, other.keys.TENANT_ADMIN);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
      expect(result.errors![0]!.message).toContain(field);
      expect(result.errors![0]!.message).toContain(bounds);
    }
    expect(ok(await t.exec(Policy, { id: other.id }, other.keys.VIEWER)).tenant!.retentionPolicy).toEqual(before);
  });

  it('is changed only by the tenant admin of the tenant or a platform admin', async () => {
    for (const role of ['SENDER', 'VIEWER', 'DPO'] as const) {
      expect(errorCodes(await t.exec(UpdatePolicy, { input: { tenantId: other.id, sendDataDays: 5 } }, other.keys[role]))).toEqual(['FORBIDDEN']);
    }
    // Another tenant's admin, and any role of the other tenant reading it.
    expect(errorCodes(await t.exec(UpdatePolicy, { input: { tenantId: other.id, sendDataDays: 5 } }, tenant.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(Policy, { id: other.id }, tenant.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(UpdatePolicy, { input: { tenantId: encodeGlobalId('Tenant', randomUUID()), sendDataDays: 5 } }))).toEqual(['NOT_FOUND']);
    expect(ok(await t.exec(Policy, { id: other.id }, other.keys.VIEWER)).tenant!.retentionPolicy.sendDataDays).toBe(7);
  });
});

describe('the retention sweep', () => {
  it("erases a 31-day-old send's content and gift code, and leaves a 29-day-old one alone", async () => {
    const now = nextClock();
    const anna = await recipient('send-age', '+46701110001');
    const [old, young] = (await deliveredSends(anna, 2)) as [string, string];
    await setSendCreatedAt(old, ago(31));
    await setSendCreatedAt(young, ago(29));

    const counts = (await t.app.sweepRetention(now)).get(rawId(tenant.id));
    expect(counts).toMatchObject({ sendsErased: 1, recipientsErased: 0 });

    const erased = ok(await t.exec(ReadSend, { id: old }, tenant.keys.SENDER)).send!;
    expect(erased).toMatchObject({ status: 'DELIVERED', channel: 'SMS', contentErasedAt: now().toISOString(), gift: { status: 'REDEEMED', offerId: 'coffee', code: null, url: null } });
    expect(erased.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(erased.recipient?.id).toBe(anna);
    const row = await t.app.prisma.send.findUniqueOrThrow({ where: { id: rawId(old) }, select: { messageEnc: true, gift: { select: { codeEnc: true, urlEnc: true } } } });
    expect(row).toEqual({ messageEnc: null, gift: { codeEnc: null, urlEnc: null } });

    const kept = ok(await t.exec(ReadSend, { id: young }, tenant.keys.SENDER)).send!;
    expect(kept.contentErasedAt).toBeNull();
    expect(kept.gift!.code).toEqual(expect.any(String));
    expect(await t.app.prisma.send.findUniqueOrThrow({ where: { id: rawId(young) }, select: { messageEnc: true } })).not.toEqual({ messageEnc: null });
  });

  it("erases a campaign's message once every one of its sends is past the window", async () => {
    const ids = [await recipient('camp-1', '+46701110002'), await recipient('camp-2', '+46701110003')];
    const campaignId = ok(await t.exec(Campaign, { tenantId: tenant.id, recipientIds: ids }, tenant.keys.SENDER)).createCampaign.id;
    const read = async () => ok(await t.exec(ReadCampaign, { id: campaignId })).node as { contentErasedAt: string | null; stats: { total: number; delivered: number } };
    await waitFor(read, (c) => c.stats.delivered === 2);
    const campaign = rawId(campaignId);
    await t.app.prisma.$executeRaw`UPDATE "Campaign" SET "createdAt" = ${ago(40)} WHERE "id" = ${campaign}::uuid`;
    const [first] = await t.app.prisma.send.findMany({ where: { campaignId: campaign }, select: { id: true }, orderBy: { id: 'asc' } });
    // One send past the window, one not: the campaign's message stays with the young send.
    await t.app.prisma.$executeRaw`UPDATE "Send" SET "createdAt" = ${ago(40)} WHERE "id" = ${first!.id}::uuid`;
    await t.app.sweepRetention(nextClock());
    expect((await read()).contentErasedAt).toBeNull();

    await t.app.prisma.$executeRaw`UPDATE "Send" SET "createdAt" = ${ago(40)} WHERE "campaignId" = ${campaign}::uuid`;
    const later = nextClock();
    expect((await t.app.sweepRetention(later)).get(rawId(tenant.id))).toMatchObject({ campaignsErased: 1 });
    expect(await t.app.prisma.send.count({ where: { campaignId: campaign, contentErasedAt: null } })).toBe(0);
    expect(await read()).toEqual({ contentErasedAt: later().toISOString(), stats: { total: 2, delivered: 2 } });
    expect(await t.app.prisma.campaign.findUniqueOrThrow({ where: { id: campaign }, select: { messageEnc: true } })).toEqual({ messageEnc: null });
  });

  it('deletes audit events older than auditLogDays and records each run with counts only', async () => {
    const now = nextClock();
    const tenantId = rawId(tenant.id);
    await t.app.prisma.auditEvent.createMany({
      data: [
        { tenantId, actor: 'test', action: 'old.event', at: ago(400) },
        { tenantId, actor: 'test', action: 'old.event', at: ago(366) },
        { tenantId, actor: 'test', action: 'kept.event', at: ago(300) },
      ],
    });
    const counts = (await t.app.sweepRetention(now)).get(tenantId);
    expect(counts).toMatchObject({ auditEventsDeleted: 2 });
    const actions = ok(await t.exec(AuditLog, { id: tenant.id }, tenant.keys.DPO)).tenant!.auditLog.edges.map((e) => e.node.action);
    expect(actions).not.toContain('old.event');
    expect(actions).toContain('kept.event');
    const [latest] = await runEvents(tenant.id);
    expect(latest).toEqual({ action: 'retention.run', actor: 'system', targetType: 'Tenant', targetId: tenantId, detail: counts });
    for (const value of Object.values(latest!.detail as Record<string, unknown>)) expect(typeof value).toBe('number');
  });

  it('two sweeps at once run a tenant once, and overlapping runs never process a row twice', async () => {
    const anna = await recipient('concurrent', '+46701110008');
    const sends = await deliveredSends(anna, 3);
    for (const send of sends) await setSendCreatedAt(send, ago(60));
    const tenantId = rawId(tenant.id);
    const runsBefore = (await runEvents(tenant.id)).length;

    // Same time: one of the two claims the tenant.
    const now = nextClock();
    const [a, b] = await Promise.all([t.app.sweepRetention(now), t.app.sweepRetention(now)]);
    expect([a.has(tenantId), b.has(tenantId)].sort()).toEqual([false, true]);
    expect((a.get(tenantId) ?? b.get(tenantId))!.sendsErased).toBe(3);
    expect((await runEvents(tenant.id)).length).toBe(runsBefore + 1);

    // A run still going (one row per batch) when the next interval's starts: both claim, rows are guarded.
    const more = await deliveredSends(anna, 4);
    for (const send of more) await setSendCreatedAt(send, ago(60));
    const sweep = (now: () => Date) =>
      sweepRetention({ prisma: t.app.prisma, log: t.app.log, settings: { intervalMs: 3_600_000, batchSize: 1 }, now, eraseRecipient: (target) => eraseRecipient(t.app.erasure, target, now()) });
    const [first, second] = [nextClock(), nextClock()];
    const slow = sweep(first);
    await waitFor(() => t.app.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { retentionRunAt: true } }), (row) => row.retentionRunAt?.getTime() === first().getTime(), 15_000, 1);
    const [c, d] = await Promise.all([slow, sweep(second)]);
    expect(c.get(tenantId)!.sendsErased + d.get(tenantId)!.sendsErased).toBe(4);
  });

  // Last: its clock is years ahead, so everything the other tests made looks inactive to it.
  it('erases a recipient inactive for inactiveRecipientDays and keeps active ones', async () => {
    const inactive = await recipient('inactive', '+46701110004');
    const recentSend = await recipient('recent-send', '+46701110005');
    const recentConsent = await recipient('recent-consent', '+46701110006');
    const recentUpdate = await recipient('recent-update', '+46701110007');
    ok(await t.exec(Consent, { recipientId: inactive }, tenant.keys.SENDER));
    ok(await t.exec(Consent, { recipientId: recentConsent }, tenant.keys.SENDER));
    const [oldSend] = await deliveredSends(inactive, 1);
    const [send] = await deliveredSends(recentSend, 1);
    // 800 days on, what happened today is old; the active ones did something 10 to 100 days before.
    clock += 800 * DAY;
    const now = nextClock();
    await setSendCreatedAt(send!, ago(10));
    await t.app.prisma.$executeRaw`UPDATE "Recipient" SET "updatedAt" = ${ago(100)} WHERE "id" = ${rawId(recentUpdate)}::uuid`;
    const consent = await t.app.prisma.consent.findFirstOrThrow({ where: { recipientId: rawId(recentConsent) } });
    await t.app.prisma.consentEvent.create({ data: { tenantId: consent.tenantId, consentId: consent.id, granted: false, source: 'preference-centre', recordedBy: 'test', at: ago(20) } });

    const counts = (await t.app.sweepRetention(now)).get(rawId(tenant.id));
    expect(counts).toMatchObject({ recipientsFailed: 0 });
    expect(counts!.recipientsErased).toBeGreaterThanOrEqual(1);
    // Erased: its own tenant reads null (the tombstone keeps only the id).
    expect(ok(await t.exec(ReadRecipient, { id: inactive }, tenant.keys.SENDER)).recipient).toBeNull();
    for (const id of [recentSend, recentConsent, recentUpdate]) expect(ok(await t.exec(ReadRecipient, { id }, tenant.keys.SENDER)).recipient).toEqual({ id });
    // The send stays, anonymous, with its status, events and gift status.
    const anonymous = ok(await t.exec(ReadSend, { id: oldSend! }, tenant.keys.SENDER)).send!;
    expect(anonymous).toMatchObject({ status: 'DELIVERED', recipient: null, gift: { status: 'REDEEMED', code: null } });
    expect(anonymous.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
  });

  it('runs on a timer in the embedded default, at start and then every interval', async () => {
    const log = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    let runs = 0;
    let reached!: () => void;
    const secondRun = new Promise<void>((resolve) => (reached = resolve));
    const schedule = timerSchedule({ intervalMs: 10, log }, async () => {
      if (++runs === 2) reached();
    });
    await schedule.start();
    await secondRun;
    await schedule.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
