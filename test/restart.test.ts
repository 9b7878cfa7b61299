// The embedded default killed with sends in flight: the process dies (SIGKILL) while the
// provider holds its requests unanswered; on restart the sends still QUEUED, and those whose
// SENDING lease ran out, are dispatched again. Every send ends DELIVERED, once each.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../plugins/sms-46elks/fake-server.ts';
import { freePort, startService, type ServiceProcess } from './processes.ts';
import { waitFor } from './wait.ts';

const RECIPIENTS = 30;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('embedded default restarted with sends in flight', () => {
  it('loses no send and delivers each once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'send-restart-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const fake: Fake46elks = await start46elksFake({ autoDeliverAfterMs: 10 });
    cleanup.push(() => fake.close());
    const port = await freePort();
    const adminKey = `sk_admin_${randomBytes(24).toString('hex')}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_API_KEY: adminKey,
      MASTER_KEY: randomBytes(32).toString('base64'),
      DISPATCH_CONCURRENCY: '8',
      DISPATCH_LEASE_MS: '1500',
      SWEEP_INTERVAL_MS: '250',
      SWEEP_STUCK_AFTER_MS: '1000',
    };
    const url = `http://127.0.0.1:${port}/graphql`;
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    let service: ServiceProcess = startService('serve', env);
    cleanup.push(() => service.kill());
    await service.waitFor('"listening"');

    const tenantId = (await gql('mutation { createTenant(input: { name: "Restart AB" }) { id } }')).createTenant.id;
    await gql(`mutation($t: ID!, $c: JSON!, $r: [RecipientItemInput!]!) {
      definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
      configureChannel(input: { tenantId: $t, pluginId: "sms-46elks", config: $c }) { id }
      upsertRecipients(input: { tenantId: $t, recipients: $r }) { created }
    }`, {
      t: tenantId,
      c: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Restart', baseUrl: fake.baseUrl, timeoutMs: 60_000, maxPerSecond: 1000 },
      r: Array.from({ length: RECIPIENTS }, (_, i) => ({ externalId: `r${i}`, phone: `+4670${String(i).padStart(7, '0')}` })),
    });

    // The provider takes the first requests and never answers them: they are in flight when the process dies.
    fake.failUntil('hang', new Date(Date.now() + 60_000));
    const campaignId = (await gql(`mutation($t: ID!) { createCampaign(input: { tenantId: $t, name: "Restart", channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }`, { t: tenantId })).createCampaign.id;
    await waitFor(async () => fake.received.length, (n) => n >= 8, 10_000);
    await service.kill();
    fake.failUntil('hang', new Date());

    service = startService('serve', env);
    await service.waitFor('"listening"');
    const stats = await waitFor(
      async () => (await gql(`query($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed } } } }`, { id: campaignId })).node.stats,
      (s: { delivered: number }) => s.delivered === RECIPIENTS,
      30_000,
      200,
    );
    expect(stats).toEqual({ total: RECIPIENTS, queued: 0, sent: 0, delivered: RECIPIENTS, failed: 0 });
    const to = [...fake.messages.values()].map((m) => m.to);
    expect(to).toHaveLength(RECIPIENTS);
    expect(new Set(to).size).toBe(RECIPIENTS);
    await service.stop();
  }, 120_000);
});
