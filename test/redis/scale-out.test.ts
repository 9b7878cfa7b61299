// The scale-out mode end to end: PostgreSQL, BullMQ on Redis, the API only enqueueing and two
// separate worker processes dispatching through the real 46elks and ClearOn plugins against
// their local fakes. Then the faults: a worker killed mid-batch, and Redis restarted empty.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../../plugins/sms-46elks/fake-server.ts';
import { FAKE_CLEARON_API_KEY, FAKE_CLEARON_WEBHOOK_SECRET, startClearOnFake, type ClearOnFakeOptions } from '../../plugins/coupon-clearon/fake-server.ts';
import { graphql } from '../__generated__/gql.ts';
import { createTestApp, ok, seedTenant, TEST_ADMIN_KEY, type TestApp } from '../helpers.ts';
import { freePort, startService, type ServiceProcess } from '../processes.ts';
import { decodeGlobalId } from '../../src/ids.ts';
import { startTcpProxy } from '../kit/tcp-proxy.ts';
import { waitFor } from '../wait.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const BULLMQ_DEFAULT_LOCK_MS = 30_000;
const DISPATCH_ENV = { DISPATCH_CONCURRENCY: '4', DISPATCH_LEASE_MS: '3000', DISPATCH_RETRY_BASE_MS: '100', SWEEP_INTERVAL_MS: '250', SWEEP_STUCK_AFTER_MS: '1000' };

/** The API (in this process, enqueueing only) on PostgreSQL and the given Redis. */
async function startApi(redisUrl: string, extra: Record<string, string> = {}) {
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`, ...DISPATCH_ENV, ...extra };
  const t = await createTestApp(env, { listen: true });
  cleanup.push(() => t.close());
  expect(t.app.queue.driver).toBe('bullmq');
  return { t, env };
}

/** A worker process sharing the API's database (or reaching it at `databaseUrl`), Redis, keys and callback URL. */
async function startWorker(t: TestApp, env: Record<string, string>, databaseUrl = t.config.databaseUrl!): Promise<ServiceProcess> {
  const worker = startService('worker', {
    ...env,
    DATABASE_URL: databaseUrl,
    MASTER_KEY: t.config.masterKeys.get(t.config.masterKeyVersion)!.toString('base64'),
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    PUBLIC_URL: t.url!,
  });
  cleanup.push(() => worker.kill());
  await worker.waitFor('worker started');
  return worker;
}

const Setup = graphql(`
  mutation ScaleSetup($tenantId: ID!, $sms: JSON!, $coupon: JSON!, $recipients: [RecipientItemInput!]!) {
    definePurpose(input: { tenantId: $tenantId, key: "offers", legalBasis: CONSENT }) { key }
    sms: configureChannel(input: { tenantId: $tenantId, pluginId: "sms-46elks", config: $sms }) { id }
    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: "coupon-clearon", config: $coupon }) { id webhookUrl }
    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }
  }
`);
const Recipients = graphql(`
  query ScaleRecipients($tenantId: ID!) { tenant(id: $tenantId) { recipients(first: 100) { edges { node { id externalId } } } } }
`);
const Consent = graphql(`
  mutation ScaleConsent($recipientId: ID!) { recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: "offers", source: "test" }) { id } }
`);
const CreateSend = graphql(`
  mutation ScaleSend($input: CreateSendInput!) { createSend(input: $input) { id status } }
`);
const ReadSend = graphql(`
  query ScaleReadSend($id: ID!) { send(id: $id) { status provider events { status } gift { provider status code } } }
`);
const Campaign = graphql(`
  mutation ScaleCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }
`);
const Stats = graphql(`
  query ScaleStats($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed blocked giftsRedeemed } } } }
`);

interface Stats { total: number; queued: number; sent: number; delivered: number; failed: number; blocked: number; giftsRedeemed: number }

/** A tenant with 46elks and ClearOn on fresh fakes, `count` recipients, all but the last with SMS consent. */
async function tenantWithChannels(t: TestApp, count: number, opts: { smsTimeoutMs?: number; smsPerSecond?: number } = {}) {
  const elks = await start46elksFake({ autoDeliverAfterMs: 10 });
  cleanup.push(() => elks.close());
  const clearonOptions: ClearOnFakeOptions = { webhookSecret: FAKE_CLEARON_WEBHOOK_SECRET, autoRedeemAfterMs: 50 };
  const clearon = await startClearOnFake(clearonOptions);
  cleanup.push(() => clearon.close());
  const tenant = await seedTenant(t, `Scale ${randomBytes(3).toString('hex')}`);
  const setup = ok(
    await t.exec(
      Setup,
      {
        tenantId: tenant.id,
        sms: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Scale', baseUrl: elks.baseUrl, maxPerSecond: opts.smsPerSecond ?? 1000, timeoutMs: opts.smsTimeoutMs ?? 5_000 },
        coupon: { apiKey: FAKE_CLEARON_API_KEY, webhookSecret: FAKE_CLEARON_WEBHOOK_SECRET, baseUrl: clearon.baseUrl },
        recipients: Array.from({ length: count }, (_, i) => ({ externalId: `r${String(i).padStart(3, '0')}`, phone: `+4670${String(i).padStart(7, '0')}` })),
      },
      tenant.keys.TENANT_ADMIN,
    ),
  );
  // ClearOn posts account-level webhooks: the URL is the tenant's ClearOn channel's.
  clearonOptions.callbackUrl = setup.coupon.webhookUrl!;
  const recipients = ok(await t.exec(Recipients, { tenantId: tenant.id })).tenant!.recipients.edges.map((e) => e.node).sort((a, b) => a.externalId!.localeCompare(b.externalId!));
  for (const r of recipients.slice(0, -1)) ok(await t.exec(Consent, { recipientId: r.id }, tenant.keys.SENDER));
  return { tenant, elks, clearon, recipients };
}

const smsBodies = (elks: Fake46elks) => elks.received.map((r) => new URLSearchParams(r.body));

function expectOnePerRecipient(elks: Fake46elks, count: number): void {
  const to = [...elks.messages.values()].map((m) => m.to);
  expect(to).toHaveLength(count);
  expect(new Set(to).size).toBe(count);
}

describe('scale-out: PostgreSQL, Redis and two worker processes', () => {
  it('takes a send and a campaign with gifts to DELIVERED and REDEEMED through 46elks and ClearOn', async () => {
    const { t, env } = await startApi(process.env.REDIS_URL!);
    await Promise.all([startWorker(t, env), startWorker(t, env)]);
    const { tenant, elks, clearon, recipients } = await tenantWithChannels(t, 21);

    const single = ok(
      await t.exec(CreateSend, { input: { recipientId: recipients[0]!.id, channel: 'SMS', purpose: 'offers', message: { body: 'Din kod: {{gift.code}}' }, gift: { offerId: 'spring-coffee' } } }, tenant.keys.SENDER),
    ).createSend;
    const send = await waitFor(async () => ok(await t.exec(ReadSend, { id: single.id })).send!, (s) => s.status === 'DELIVERED' && s.gift?.status === 'REDEEMED', 20_000, 100);
    expect(send.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(send).toMatchObject({ provider: 'sms-46elks', gift: { provider: 'coupon-clearon' } });
    expect(smsBodies(elks).map((b) => b.get('message'))).toEqual([`Din kod: ${send.gift!.code}`]);

    const campaign = ok(
      await t.exec(Campaign, { input: { tenantId: tenant.id, name: 'Spring', channel: 'SMS', purpose: 'offers', message: { body: 'Kod {{gift.code}}' }, gift: { offerId: 'spring-coffee' } } }, tenant.keys.SENDER),
    ).createCampaign;
    const stats = await waitFor(
      async () => (ok(await t.exec(Stats, { id: campaign.id })).node as { stats: Stats }).stats,
      (s) => s.delivered === 20 && s.giftsRedeemed === 20,
      30_000,
      200,
    );
    expect(stats).toEqual({ total: 21, queued: 0, sent: 0, delivered: 20, failed: 0, blocked: 1, giftsRedeemed: 20 });
    // The single send and the campaign each reached recipient 0; everyone else got the campaign once.
    const to = [...elks.messages.values()].map((m) => m.to);
    expect(to).toHaveLength(21);
    expect(new Set(to).size).toBe(20);
    // Each coupon issued once (ClearOn's Idempotency-Key is per send) and its code is what the SMS carried.
    expect(clearon.coupons.size).toBe(21);
    const codes = new Set([...clearon.coupons.values()].map((c) => c.code));
    for (const body of smsBodies(elks)) expect(codes.has(body.get('message')!.replace(/^.*?(\d{13})$/, '$1'))).toBe(true);
  }, 90_000);

  it('loses nothing when a worker is killed mid-batch', async () => {
    const { t, env } = await startApi(process.env.REDIS_URL!);
    const [doomed] = await Promise.all([startWorker(t, env), startWorker(t, env)]);
    // A slow rate limit: the dying worker also holds jobs it has taken but not yet claimed (still QUEUED).
    const { tenant, elks } = await tenantWithChannels(t, 31, { smsTimeoutMs: 1_500, smsPerSecond: 4 });
    // The first requests hang at the provider: some of them are held by the worker that dies.
    elks.failNext('hang', 8);
    const campaign = ok(await t.exec(Campaign, { input: { tenantId: tenant.id, name: 'Kill', channel: 'SMS', purpose: 'offers', message: { body: 'Hej' } } }, tenant.keys.SENDER)).createCampaign;
    await waitFor(async () => elks.received.length, (n) => n >= 8, 15_000, 20);
    await doomed!.kill();
    const killedAt = Date.now();
    const stats = await waitFor(async () => (ok(await t.exec(Stats, { id: campaign.id })).node as { stats: Stats }).stats, (s) => s.delivered === 30, 40_000, 200);
    // The dead worker's sends come back after the dispatch lease (3 s here), not after BullMQ's
    // default job lock of 30 s that held them before.
    expect(Date.now() - killedAt).toBeLessThan(BULLMQ_DEFAULT_LOCK_MS);
    expect(stats).toMatchObject({ total: 31, delivered: 30, blocked: 1, failed: 0, queued: 0 });
    expectOnePerRecipient(elks, 30);
  }, 90_000);

  it('sends each message once when PostgreSQL goes away for longer than the lease right after the provider accepted, even if a worker dies meanwhile', async () => {
    const { t, env } = await startApi(process.env.REDIS_URL!);
    const database = new URL(t.config.databaseUrl!);
    const dbLine = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    cleanup.push(() => dbLine.close());
    const viaLine = new URL(database);
    viaLine.port = String(dbLine.port);
    const workers = await Promise.all([startWorker(t, env, viaLine.toString()), startWorker(t, env, viaLine.toString())]);
    const { tenant, elks } = await tenantWithChannels(t, 100);
    // The workers reach 46elks through a line whose answers can be held back.
    const elksLine = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(elks.baseUrl).port) });
    cleanup.push(() => elksLine.close());
    const smsConfig = { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Scale', baseUrl: elks.baseUrl.replace(/:\d+/, `:${elksLine.port}`), maxPerSecond: 1000, timeoutMs: 20_000 };
    ok(await t.exec(`mutation($t: ID!, $c: JSON!) { configureChannel(input: { tenantId: $t, pluginId: "sms-46elks", config: $c }) { id } }`, { t: tenant.id, c: smsConfig }, tenant.keys.TENANT_ADMIN));

    elksLine.holdReplies();
    const campaign = ok(await t.exec(Campaign, { input: { tenantId: tenant.id, name: 'Outage', channel: 'SMS', purpose: 'offers', message: { body: 'Hej' } } }, tenant.keys.SENDER)).createCampaign;
    // Every dispatch slot holds a message 46elks has taken but not yet answered for.
    const inFlight = Number(DISPATCH_ENV.DISPATCH_CONCURRENCY) * workers.length;
    await waitFor(async () => elks.received.length, (n) => n >= inFlight, 15_000, 20);
    dbLine.cut();
    elksLine.releaseReplies();
    // The workers learn of the acceptances while the database is away; it stays away until every claim's lease has run out.
    const campaignId = decodeGlobalId(campaign.id)!.id;
    await waitFor(
      () => t.app.db.query<{ held: number; running: number }>(
        `SELECT count(*) FILTER (WHERE "leaseUntil" >= now())::int AS "running", count(*)::int AS "held" FROM "Send" WHERE "campaignId" = $1 AND "status" = 'SENDING'`,
        [campaignId],
      ),
      (rows) => rows[0]!.held >= inFlight && rows[0]!.running === 0,
      30_000,
      100,
    );
    expect(workers.every((w) => w.output.some((line) => line.includes('holding it and retrying')))).toBe(true);
    // One worker dies before the database is back: the other takes its sends over and finds the acceptances held.
    await workers[0]!.kill();
    dbLine.restore();

    const stats = await waitFor(async () => (ok(await t.exec(Stats, { id: campaign.id })).node as { stats: Stats }).stats, (s) => s.delivered === 99, 60_000, 200);
    expect(stats).toMatchObject({ total: 100, delivered: 99, blocked: 1, failed: 0, queued: 0 });
    expect(elks.received).toHaveLength(99);
    expectOnePerRecipient(elks, 99);
  }, 120_000);

  it('loses nothing when Redis restarts empty', async () => {
    const redis = await startRedis();
    const { t, env } = await startApi(redis.url);
    await startWorker(t, env);
    const { tenant, elks } = await tenantWithChannels(t, 16);
    // Scheduled a moment ahead, the sends wait in Redis as delayed jobs, which the restart wipes out.
    const scheduledAt = new Date(Date.now() + 1_500).toISOString();
    const campaign = ok(await t.exec(Campaign, { input: { tenantId: tenant.id, name: 'Redis', channel: 'SMS', purpose: 'offers', message: { body: 'Hej' }, scheduledAt } }, tenant.keys.SENDER)).createCampaign;
    await redis.restart();
    const stats = await waitFor(async () => (ok(await t.exec(Stats, { id: campaign.id })).node as { stats: Stats }).stats, (s) => s.delivered === 15, 40_000, 200);
    expect(stats).toMatchObject({ total: 16, delivered: 15, blocked: 1, failed: 0, queued: 0 });
    expectOnePerRecipient(elks, 15);
  }, 90_000);
});

/** A Redis of this test's own, without persistence, that can be restarted (and so emptied). */
async function startRedis(): Promise<{ url: string; restart(): Promise<void> }> {
  const port = await freePort();
  let server: ChildProcess;
  const launch = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(() => ping(port), Boolean, 10_000, 50);
  };
  const stop = async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };
  await launch();
  cleanup.push(stop);
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stop();
      await launch();
    },
  };
}


async function ping(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
