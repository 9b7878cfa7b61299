// SIGTERM mid-campaign: the service stops accepting connections and taking sends, lets the
// provider calls in flight finish and records them, then exits 0. After a restart the campaign
// finishes: every recipient got the message once, and no send needed a second attempt.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.ts';
import { createTestApp } from './helpers.ts';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake } from '../plugins/sms-46elks/fake-server.ts';
import { startTcpProxy } from './kit/tcp-proxy.ts';
import { freePort, startService, type ServiceProcess } from './processes.ts';
import { waitFor } from './wait.ts';

const RECIPIENTS = 20;
const CONCURRENCY = 4;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('closing the HTTP server with a grace period', () => {
  it('refuses new connections at once and answers the request in flight, with connection: close', async () => {
    const t = await createTestApp();
    cleanup.push(() => t.close());
    const running = await startServer(t.app, 0, '127.0.0.1');
    const body = JSON.stringify({ query: '{ viewer { id } }' });
    // A request in flight: its headers arrived, its body is still coming.
    const answer = new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
      const req = request(`${running.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${t.config.adminApiKey}` } });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      // Once the server holds the request, shutdown begins; then the rest of the body comes.
      running.server.once('request', () => {
        closed = running.close({ graceMs: 60_000 });
        fetch(`${running.url}/healthz`).then(
          () => reject(new Error('a new connection was accepted while closing')),
          () => req.end(body.slice(10)),
        );
      });
    });
    let closed: Promise<void> | undefined;
    expect(await answer).toEqual({ status: 200, connection: 'close', text: JSON.stringify({ data: { viewer: { id: 'operator' } } }) });
    await closed;
  });
});

describe('graceful shutdown of `serve` (embedded default)', () => {
  it('finishes the provider calls in flight on SIGTERM, takes no new ones, and loses nothing across the restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'send-shutdown-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const fake = await start46elksFake({ autoDeliverAfterMs: 10 });
    cleanup.push(() => fake.close());
    // The provider has the requests but its answers wait: the calls are in flight.
    const provider = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(fake.baseUrl).port) });
    cleanup.push(() => provider.close());
    const port = await freePort();
    const adminKey = `sk_admin_${randomBytes(24).toString('hex')}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_API_KEY: adminKey,
      MASTER_KEY: randomBytes(32).toString('base64'),
      DISPATCH_CONCURRENCY: String(CONCURRENCY),
      SHUTDOWN_GRACE_MS: '60000',
      SWEEP_INTERVAL_MS: '250',
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

    const tenantId = (await gql('mutation { createTenant(input: { name: "Shutdown AB" }) { id } }')).createTenant.id;
    await gql(`mutation($t: ID!, $c: JSON!, $r: [RecipientItemInput!]!) {
      definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
      configureChannel(input: { tenantId: $t, pluginId: "sms-46elks", config: $c }) { id }
      upsertRecipients(input: { tenantId: $t, recipients: $r }) { created }
    }`, {
      t: tenantId,
      c: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Shutdown', baseUrl: `http://127.0.0.1:${provider.port}`, timeoutMs: 60_000, maxPerSecond: 1000 },
      r: Array.from({ length: RECIPIENTS }, (_, i) => ({ externalId: `r${i}`, phone: `+4670${String(i).padStart(7, '0')}` })),
    });

    provider.holdReplies();
    const campaignId = (await gql(`mutation($t: ID!) { createCampaign(input: { tenantId: $t, name: "Shutdown", channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }`, { t: tenantId })).createCampaign.id;
    await waitFor(async () => fake.received.length, (n) => n === CONCURRENCY, 20_000);

    service.child.kill('SIGTERM');
    await service.waitFor('"shutting down"');
    // No longer accepting: the listener closed before anything was awaited.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(service.child.exitCode).toBeNull();

    // The provider answers; the service records those sends and exits by itself.
    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
    provider.releaseReplies();
    expect(await exited).toBe(0);
    expect(service.output.some((line) => line.includes('"stopped"'))).toBe(true);
    // Nothing was taken after the signal, and no call was cut short.
    expect(fake.received).toHaveLength(CONCURRENCY);
    expect(service.output.some((line) => line.includes('dispatch attempt did not deliver'))).toBe(false);

    service = startService('serve', env);
    await service.waitFor('"listening"');
    const stats = await waitFor(
      async () => (await gql(`query($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed } } } }`, { id: campaignId })).node.stats,
      (s: { queued: number; sent: number; delivered: number }) => s.queued === 0 && s.sent + s.delivered === RECIPIENTS,
      30_000,
      200,
    );
    expect(stats).toMatchObject({ total: RECIPIENTS, queued: 0, failed: 0 });
    const to = [...fake.messages.values()].map((m) => m.to);
    expect(to).toHaveLength(RECIPIENTS);
    expect(new Set(to).size).toBe(RECIPIENTS);
    // One attempt each: the sends in flight at the signal were recorded, not taken over and sent again.
    const sends = (await gql(`query($id: ID!) { node(id: $id) { ... on Campaign { sends(first: 100) { nodes { attempts } } } } }`, { id: campaignId })).node.sends.nodes as Array<{ attempts: number }>;
    expect(sends.map((s) => s.attempts)).toEqual(Array(RECIPIENTS).fill(1));
    expect(service.output.some((line) => line.includes('took over'))).toBe(false);
    await service.stop();
  }, 180_000);
});
