// Dispatch under provider faults, through the real 46elks plugin against its local fake:
// an outage of 5xx answers, a hung provider, failover to the next channel by priority, and
// retries that run out. Afterwards every send is DELIVERED or FAILED, and the provider holds
// exactly one message per recipient that got one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../plugins/sms-46elks/fake-server.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const Configure = graphql(`
  mutation FaultsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }
`);
const Seed = graphql(`
  mutation FaultsSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {
    definePurpose(input: { tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT }) { key }
    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }
  }
`);
const Campaign = graphql(`
  mutation FaultsCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }
`);
const Stats = graphql(`
  query FaultsStats($id: ID!) {
    node(id: $id) {
      ... on Campaign {
        stats { total queued sent delivered failed }
        sends(first: 100) { edges { node { status statusReason provider attempts events { status provider detail } } } }
      }
    }
  }
`);

const RECIPIENTS = 12;
let t: TestApp;
const fakes: Fake46elks[] = [];

beforeAll(async () => {
  t = await createTestApp(
    { DISPATCH_RETRY_BASE_MS: '50', DISPATCH_MAX_RETRY_DELAY_MS: '400', DISPATCH_MAX_ATTEMPTS: '8', SWEEP_INTERVAL_MS: '200', SWEEP_STUCK_AFTER_MS: '2000' },
    { listen: true, dispatch: true },
  );
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
afterAll(() => t.close());

interface CampaignView {
  stats: { total: number; queued: number; sent: number; delivered: number; failed: number };
  sends: { edges: Array<{ node: { status: string; statusReason: string | null; provider: string | null; attempts: number; events: Array<{ status: string; provider: string | null; detail: string | null }> } }> };
}

const elks = (fake: Fake46elks, overrides: Record<string, unknown> = {}) => ({
  pluginId: 'sms-46elks',
  config: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Faults', baseUrl: fake.baseUrl, timeoutMs: 5_000, maxPerSecond: 1000, ...overrides },
});

/** A tenant with these SMS channels (in priority order) and a campaign to all its recipients. */
async function campaignThrough(channels: Array<{ pluginId: string; config: Record<string, unknown> }>, beforeCampaign?: () => void) {
  const tenant = await seedTenant(t, `Faults ${Math.random()}`);
  const recipients = Array.from({ length: RECIPIENTS }, (_, i) => ({ externalId: `r${i}`, phone: `+4670${String(i).padStart(7, '0')}` }));
  ok(await t.exec(Seed, { tenantId: tenant.id, recipients }, tenant.keys.TENANT_ADMIN));
  for (const [priority, { pluginId, config }] of channels.entries()) {
    ok(await t.exec(Configure, { input: { tenantId: tenant.id, pluginId, config, priority } }, tenant.keys.TENANT_ADMIN));
  }
  beforeCampaign?.();
  const campaign = ok(await t.exec(Campaign, { input: { tenantId: tenant.id, name: 'Faults', channel: 'SMS', purpose: 'receipts', message: { body: 'Hej' } } }, tenant.keys.SENDER)).createCampaign;
  const settled = () =>
    waitFor(
      async () => ok(await t.exec(Stats, { id: campaign.id })).node as CampaignView,
      // Each send's own status too: stats and the sends page are read side by side, while a
      // send's events are read after its row and so are never behind its status.
      (c) => c.stats.delivered + c.stats.failed === RECIPIENTS && c.sends.edges.every((e) => e.node.status === 'DELIVERED' || e.node.status === 'FAILED'),
      // Generous: the suite shares two cores with other files.
      60_000,
      100,
    );
  return { tenant, campaignId: campaign.id, settled };
}

async function startFake(): Promise<Fake46elks> {
  const fake = await start46elksFake({ autoDeliverAfterMs: 10 });
  fakes.push(fake);
  return fake;
}

/** One accepted message per recipient: nobody got it twice. */
function expectOnePerRecipient(fake: Fake46elks, count = RECIPIENTS): void {
  const to = [...fake.messages.values()].map((m) => m.to);
  expect(to).toHaveLength(count);
  expect(new Set(to).size).toBe(count);
}

describe('dispatch faults', () => {
  it('rides out a run of 5xx answers with backoff and delivers everything once', async () => {
    const fake = await startFake();
    // Counted rather than timed, so a slow machine cannot let the run end before the sends arrive.
    const outage = RECIPIENTS * 2 + 6;
    fake.failNext('server_error', outage);
    const { settled } = await campaignThrough([elks(fake)]);
    const campaign = await settled();
    expect(campaign.stats).toMatchObject({ delivered: RECIPIENTS, failed: 0 });
    expectOnePerRecipient(fake);
    // Every failed answer was retried, nothing more.
    expect(fake.received).toHaveLength(RECIPIENTS + outage);
    const attempts = campaign.sends.edges.reduce((sum, e) => sum + e.node.attempts, 0);
    expect(attempts).toBe(RECIPIENTS + outage);
    const retried = campaign.sends.edges.filter((e) => e.node.attempts > 1);
    const events = retried[0]!.node.events;
    expect(events.find((e) => e.status === 'QUEUED' && e.detail?.includes('server (HTTP 500)'))?.detail).toMatch(/retry \d+ in \d+ ms/);
  });

  it('treats a hung provider as retryable: the timed-out sends go again and arrive once', async () => {
    const fake = await startFake();
    const hung = 5;
    fake.failNext('hang', hung);
    // Short enough to keep the test quick, long enough that only the hung requests time out.
    const { settled } = await campaignThrough([elks(fake, { timeoutMs: 1_500 })]);
    const campaign = await settled();
    expect(campaign.stats).toMatchObject({ delivered: RECIPIENTS, failed: 0 });
    expectOnePerRecipient(fake);
    const timedOut = campaign.sends.edges.flatMap((e) => e.node.events).filter((e) => e.detail?.includes('timeout'));
    expect(timedOut).toHaveLength(hung);
    expect(fake.received).toHaveLength(RECIPIENTS + hung);
  });

  it('fails over to the next channel by priority when the first refuses for good', async () => {
    const broken = await startFake();
    const { settled } = await campaignThrough([elks(broken, { password: 'wrong-password' }), { pluginId: 'dev-sms', config: {} }]);
    const campaign = await settled();
    expect(campaign.stats).toMatchObject({ delivered: RECIPIENTS, failed: 0 });
    expect(broken.messages.size).toBe(0);
    // Refused for good: one attempt each at the first channel, no retries there.
    expect(broken.received).toHaveLength(RECIPIENTS);
    for (const { node } of campaign.sends.edges) {
      expect(node.provider).toBe('dev-sms');
      expect(node.events.map((e) => [e.status, e.provider])).toEqual([
        ['QUEUED', null],
        ['SENDING', 'sms-46elks'],
        ['QUEUED', 'sms-46elks'],
        ['SENDING', 'dev-sms'],
        ['SENT', 'dev-sms'],
        ['DELIVERED', 'dev-sms'],
      ]);
      expect(node.events[2]!.detail).toBe('sms-46elks: auth (HTTP 401); failing over to dev-sms');
    }
  });

  it('marks FAILED with the reason once retries and failover are exhausted', async () => {
    const fake = await startFake();
    fake.failUntil('server_error', new Date(Date.now() + 60_000));
    const { settled } = await campaignThrough([elks(fake)]);
    const campaign = await settled();
    expect(campaign.stats).toMatchObject({ delivered: 0, failed: RECIPIENTS });
    for (const { node } of campaign.sends.edges) {
      expect(node.attempts).toBe(8);
      expect(node.statusReason).toBe('sms-46elks: server (HTTP 500); gave up after 8 attempts');
    }
    expect(fake.received).toHaveLength(RECIPIENTS * 8);
  });
});
