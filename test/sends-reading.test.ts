// Reading sends: a page of sends with their recipient, campaign, gift and events, and a page
// of campaigns with their stats, each cost the same number of SQL statements at any size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const Seed = graphql(`
  mutation ReadingSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {
    definePurpose(input: { tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT }) { key }
    sms: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-coupon", config: {} }) { id }
    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }
  }
`);
const Campaign = graphql(`
  mutation ReadingCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }
`);
const Sends = graphql(`
  query ReadingSends($tenantId: ID!, $first: Int!, $campaignId: ID, $status: SendStatus) {
    tenant(id: $tenantId) {
      sends(first: $first, campaignId: $campaignId, status: $status) {
        totalCount
        edges {
          node {
            id status provider providerMessageId
            recipient { id locale }
            campaign { name stats { total delivered giftsRedeemed } }
            gift { provider status code }
            events { status at provider }
          }
        }
      }
    }
  }
`);
const Campaigns = graphql(`
  query ReadingCampaigns($tenantId: ID!, $first: Int!) {
    tenant(id: $tenantId) {
      campaigns(first: $first) {
        edges { node { id name stats { total queued delivered giftsRedeemed } sends(first: 3) { totalCount edges { node { status } } } } }
      }
    }
  }
`);
const RecipientSends = graphql(`
  query ReadingRecipientSends($id: ID!) {
    recipient(id: $id) { sends(first: 10) { totalCount edges { node { status campaign { name } events { status } } } } }
  }
`);

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  // The sweeper sweeps once at start and then not again here: its statements would land in the counts.
  t = await createTestApp({ SWEEP_INTERVAL_MS: '3600000' }, { countQueries: true, listen: true, dispatch: true });
  tenant = await seedTenant(t, 'Reading AB');
  const recipients = Array.from({ length: 20 }, (_, i) => ({ externalId: `r-${i}`, phone: `+4670${String(i).padStart(7, '0')}`, locale: 'sv' }));
  ok(await t.exec(Seed, { tenantId: tenant.id, recipients }, tenant.keys.TENANT_ADMIN));
  for (const name of ['First', 'Second', 'Third']) {
    ok(
      await t.exec(
        Campaign,
        { input: { tenantId: tenant.id, name, channel: 'SMS', purpose: 'receipts', message: { body: 'Kod {{gift.code}}' }, gift: { offerId: 'coffee' } } },
        tenant.keys.SENDER,
      ),
    );
  }
  await waitFor(
    async () => ok(await t.exec(Campaigns, { tenantId: tenant.id, first: 3 })).tenant!.campaigns.edges,
    (edges) => edges.every((e) => e.node.stats.delivered === 20 && e.node.stats.giftsRedeemed === 20),
    // 60 gift redemptions arrive as provider callbacks; on a loaded machine they take a while.
    60_000,
    200,
  );
}, 120_000);
afterAll(() => t.close());

async function countQueries(run: () => Promise<unknown>): Promise<number> {
  t.queries.length = 0;
  await run();
  // The API key's lookup is cached for a second, so it may or may not be among them.
  return t.queries.filter((sql) => !sql.includes('"ApiKey"')).length;
}

describe('reading sends', () => {
  it('pages sends with recipient, campaign, gift and events in a constant number of queries', async () => {
    const counts: number[] = [];
    for (const first of [2, 50]) {
      counts.push(
        await countQueries(async () => {
          const page = ok(await t.exec(Sends, { tenantId: tenant.id, first }, tenant.keys.VIEWER)).tenant!.sends;
          expect(page.totalCount).toBe(60);
          expect(page.edges).toHaveLength(first);
          for (const { node } of page.edges) {
            expect(node.events.map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
            expect(node.gift).toMatchObject({ provider: 'dev-coupon', status: 'REDEEMED' });
            expect(node.campaign!.stats).toEqual({ total: 20, delivered: 20, giftsRedeemed: 20 });
          }
        }),
      );
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(12);
  });

  it('pages campaigns with stats and sends in a constant number of queries', async () => {
    const one = await countQueries(async () => expect(ok(await t.exec(Campaigns, { tenantId: tenant.id, first: 1 })).tenant!.campaigns.edges).toHaveLength(1));
    const three = await countQueries(async () => expect(ok(await t.exec(Campaigns, { tenantId: tenant.id, first: 3 })).tenant!.campaigns.edges).toHaveLength(3));
    expect(three).toBe(one);
  });

  it("filters a tenant's sends by status and campaign", async () => {
    const campaigns = ok(await t.exec(Campaigns, { tenantId: tenant.id, first: 3 })).tenant!.campaigns.edges;
    const first = campaigns.find((c) => c.node.name === 'First')!.node.id;
    const inCampaign = ok(await t.exec(Sends, { tenantId: tenant.id, first: 100, campaignId: first })).tenant!.sends;
    expect(inCampaign.totalCount).toBe(20);
    expect(new Set(inCampaign.edges.map((e) => e.node.campaign!.name))).toEqual(new Set(['First']));
    expect(ok(await t.exec(Sends, { tenantId: tenant.id, first: 1, status: 'FAILED' })).tenant!.sends.totalCount).toBe(0);
    expect(ok(await t.exec(Sends, { tenantId: tenant.id, first: 1, status: 'DELIVERED' })).tenant!.sends.totalCount).toBe(60);
  });

  it("lists a recipient's sends, newest first", async () => {
    const page = ok(await t.exec(Sends, { tenantId: tenant.id, first: 1 })).tenant!.sends;
    const recipientId = page.edges[0]!.node.recipient!.id;
    const sends = ok(await t.exec(RecipientSends, { id: recipientId })).recipient!.sends;
    expect(sends.totalCount).toBe(3);
    expect(sends.edges.map((e) => e.node.campaign!.name)).toEqual(['Third', 'Second', 'First']);
  });
});
