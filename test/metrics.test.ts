// GET /metrics for operators: the series a dashboard needs, labels without tenant or personal
// data, and a token when one is configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

describe('GET /metrics', () => {
  let t: TestApp;
  let tenantId: string;
  beforeAll(async () => {
    t = await createTestApp({}, { listen: true, dispatch: true });
    const tenant = await seedTenant(t, 'Metrics AB');
    tenantId = tenant.id;
    const setup = ok(
      await t.exec(
        `mutation($t: ID!) {
          definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
          configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
          upsertRecipient(input: { tenantId: $t, externalId: "m-1", phone: "+46701112233" }) { id }
        }`,
        { t: tenant.id },
      ),
    ) as { upsertRecipient: { id: string } };
    const sent = ok(await t.exec(`mutation CreateReceipt($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Kvitto" } }) { id } }`, { r: setup.upsertRecipient.id }, tenant.keys.SENDER)) as { createSend: { id: string } };
    await waitFor(async () => (ok(await t.exec(`query($id: ID!) { send(id: $id) { status } }`, { id: sent.createSend.id })) as { send: { status: string } }).send.status, (s) => s === 'DELIVERED');
    // Through the HTTP server, so the request is counted under its operation name.
    await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.keys.VIEWER}` }, body: JSON.stringify({ query: 'query Dashboard { viewer { id } }' }) });
  });
  afterAll(() => t.close());

  it('serves requests by operation, dispatch attempts, provider latency, webhooks, queue depth, sends by status and event-loop lag', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/send_http_request_duration_seconds_count\{operation="Dashboard",outcome="ok"\} 1/);
    expect(text).toMatch(/send_dispatch_attempts_total\{plugin="dev-sms",outcome="sent"\} 1/);
    expect(text).toMatch(/send_provider_call_duration_seconds_count\{plugin="dev-sms"\} 1/);
    expect(text).toMatch(/send_webhooks_total\{plugin="dev-sms",status="200"\} 1/);
    expect(text).toMatch(/send_dispatch_queue_depth \d+/);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('send_takeovers_total');
    expect(text).toContain('send_subscribers_fell_behind_total 0');
    expect(text).toMatch(/send_sends\{channel="SMS",provider="dev-sms",status="DELIVERED"\} 1/);
    expect(text).toMatch(/send_http_request_duration_seconds_bucket\{le="0.05",operation="Dashboard",outcome="ok"\} [01]/);
    for (const secret of ['+46701112233', tenantId, Buffer.from(tenantId, 'base64').toString().split(':')[1]!]) expect(text).not.toContain(secret);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' }, { listen: true });
  });
  afterAll(() => t.close());

  it('asks for the token', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-000000000' } })).status).toBe(401);
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('send_dispatch_attempts_total');
  });
});
