// Partner webhooks end to end: endpoints through GraphQL, deliveries posted to a receiver on
// loopback that verifies every signature with the standardwebhooks package, retries after 503,
// Retry-After, disabling after 410 and after failing too long, secret rotation with overlap,
// redelivery and test deliveries, the SSRF guard, and tenant isolation of every field.
// With DATABASE_URL and REDIS_URL set the deliveries run on BullMQ.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOutboundPolicy } from '../src/channels/kit/outbound.ts';
import { loadConfig } from '../src/config.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { headPosition } from '../src/events/log.ts';
import { createDeliveries, enqueueDeliveries, WebhookDeliverer } from '../src/partner-webhooks/deliveries.ts';
import { fanOutOnce } from '../src/partner-webhooks/fanout.ts';
import { checkEndpointUrl } from '../src/partner-webhooks/endpoints.ts';
import type { WebhookEvent } from '../src/partner-webhooks/events.ts';
import { retryAfterMs, scheduledDelayMs } from '../src/partner-webhooks/retry.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';

const CreateEndpoint = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { id url description statuses giftStatuses enabled } }
  }
`);

const UpdateEndpoint = graphql(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) { id url description statuses giftStatuses }
  }
`);

const DisableEndpoint = graphql(`
  mutation DisableWebhookEndpoint($id: ID!) { disableWebhookEndpoint(id: $id) { id enabled disabledReason disabledAt } }
`);

const EnableEndpoint = graphql(`
  mutation EnableWebhookEndpoint($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled disabledReason consecutiveFailures failingSince } }
`);

const DeleteEndpoint = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) }
`);

const RotateSecret = graphql(`
  mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) { secret endpoint { id previousSecretExpiresAt } }
  }
`);

const SendTest = graphql(`
  mutation SendTestWebhook($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { id webhookId eventType status } }
`);

const Redeliver = graphql(`
  mutation RedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status attemptCount } }
`);

const Endpoints = graphql(`
  query TenantWebhookEndpoints($id: ID!) {
    tenant(id: $id) {
      webhookEndpoints {
        id url enabled disabledReason disabledAt lastSuccessAt lastFailureAt failingSince consecutiveFailures
      }
    }
  }
`);

const Deliveries = graphql(`
  query WebhookDeliveries($id: ID!, $first: Int) {
    node(id: $id) {
      ... on WebhookEndpoint {
        deliveries(first: $first) {
          edges { node { id webhookId eventType payload status attemptCount nextAttemptAt lastAttemptAt attempts { at statusCode latencyMs error } } }
        }
      }
    }
  }
`);

const AuditLog = graphql(`
  query WebhookAuditLog($id: ID!) {
    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }
  }
`);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A partner's endpoint on loopback: answers from a script (then 200), and records every request. */
class Receiver {
  readonly requests: Received[] = [];
  /** Answers for the next requests, in order. */
  readonly script: Array<{ status: number; headers?: Record<string, string> }> = [];
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.script.shift() ?? { status: 200 };
        res.writeHead(answer.status, answer.headers).end('a body the service must not keep');
      });
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  /** Waits until `count` requests have arrived (whichever path they came by). */
  async received(count: number): Promise<Received[]> {
    await vi.waitFor(() => expect(this.requests.length).toBeGreaterThanOrEqual(count), { timeout: 15_000, interval: 5 });
    return this.requests;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What a partner does with a delivery: verify it with its secret, then read it. */
const verify = (secret: string, request: Received) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };

const scaleOut: Record<string, string> = process.env.DATABASE_URL && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}` } : {};

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  t = await createTestApp({ WEBHOOK_RETRY_SCHEDULE: '20ms,20ms,20ms', ...scaleOut }, { listen: true, dispatch: true });
  expect(t.app.webhookQueue.driver).toBe(scaleOut.REDIS_URL ? 'bullmq' : 'in-process');
  acme = await seedTenant(t, 'Acme');
  other = await seedTenant(t, 'Other');
});
afterAll(() => t?.close());

const rawId = (globalId: string) => decodeGlobalId(globalId)!.id;

async function register(receiver: Receiver, input: Record<string, unknown> = {}) {
  return ok(await t.exec(CreateEndpoint, { input: { tenantId: acme.id, url: receiver.url, ...input } }, acme.keys.TENANT_ADMIN)).createWebhookEndpoint;
}

let sendCounter = 0;
/** A status change as the event log records it, with a position of its own. */
function event(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
  sendCounter += 1;
  return {
    tenantId: rawId(acme.id),
    position: BigInt(sendCounter),
    cursor: `c${sendCounter}`,
    sendId: randomUUID(),
    campaignId: null,
    status: 'DELIVERED',
    giftStatus: null,
    channel: 'SMS',
    provider: 'sms-46elks',
    providerAt: new Date('2026-12-01T10:00:00.000Z'),
    at: new Date('2026-12-01T10:00:01.000Z'),
    reason: null,
    ...overrides,
  };
}

/** Fans events out to the tenant's endpoints and queues the deliveries, as the log's fan-out does. */
async function publish(...events: WebhookEvent[]): Promise<string[]> {
  const ids = await t.app.prisma.$transaction((tx) => createDeliveries(tx, rawId(acme.id), events));
  await enqueueDeliveries(t.app, ids);
  return ids;
}

const deliveryOf = (id: string) => t.app.prisma.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { attempts: { orderBy: { at: 'asc' } }, endpoint: true } });

async function settled(id: string) {
  await vi.waitFor(async () => expect((await deliveryOf(id)).status).not.toBe('PENDING'), { timeout: 15_000, interval: 10 });
  return deliveryOf(id);
}

describe('registering endpoints', () => {
  it('returns a whsec_ secret once, stores it sealed, lists the endpoint with its health and audits it', async () => {
    const receiver = await new Receiver().start();
    const created = await register(receiver, { description: 'CRM sync', statuses: ['DELIVERED', 'FAILED'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({ url: receiver.url, description: 'CRM sync', statuses: ['DELIVERED', 'FAILED'], giftStatuses: [], enabled: true });

    const row = await t.app.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: rawId(created.endpoint.id) } });
    expect(Buffer.from(row.secretEnc).includes(Buffer.from(created.secret.slice(6)))).toBe(false);
    expect(Buffer.from(row.secretEnc).includes(Buffer.from(created.secret.slice(6), 'base64'))).toBe(false);

    const listed = ok(await t.exec(Endpoints, { id: acme.id }, acme.keys.TENANT_ADMIN)).tenant!.webhookEndpoints;
    expect(listed.find((e) => e.id === created.endpoint.id)).toEqual({
      id: created.endpoint.id, url: receiver.url, enabled: true, disabledReason: null, disabledAt: null,
      lastSuccessAt: null, lastFailureAt: null, failingSince: null, consecutiveFailures: 0,
    });
    const audit = ok(await t.exec(AuditLog, { id: acme.id })).tenant!.auditLog.edges.map((e) => e.node);
    expect(audit).toContainEqual({ action: 'webhookEndpoint.created', actor: `apikey:${rawId(acme.keyIds.TENANT_ADMIN)}`, targetType: 'WebhookEndpoint', targetId: rawId(created.endpoint.id) });

    const updated = ok(await t.exec(UpdateEndpoint, { input: { id: created.endpoint.id, description: null, giftStatuses: ['REDEEMED'] } }, acme.keys.TENANT_ADMIN)).updateWebhookEndpoint;
    expect(updated).toMatchObject({ url: receiver.url, description: null, statuses: ['DELIVERED', 'FAILED'], giftStatuses: ['REDEEMED'] });
    expect(ok(await t.exec(DeleteEndpoint, { id: created.endpoint.id }, acme.keys.TENANT_ADMIN)).deleteWebhookEndpoint).toBe(created.endpoint.id);
    expect(await t.app.prisma.webhookEndpoint.count({ where: { id: rawId(created.endpoint.id) } })).toBe(0);
    await receiver.close();
  });

  it('refuses a URL that is not one, a scheme other than http(s), credentials in it and an unknown status, storing nothing', async () => {
    const before = await t.app.prisma.webhookEndpoint.count();
    for (const [url, message] of [
      ['not a url', /^url: not a URL/],
      ['ftp://partner.example/hooks', /^url: must be an https:\/\/ URL/],
      ['https://user:pw@partner.example/hooks', /^url: must not contain a user name or password/],
    ] as const) {
      const result = await t.exec(CreateEndpoint, { input: { tenantId: acme.id, url } }, acme.keys.TENANT_ADMIN);
      expect(errorCodes(result), url).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(message);
      expect(result.errors![0]!.extensions!.field).toBe('url');
    }
    const unknownStatus = await t.exec(CreateEndpoint, { input: { tenantId: acme.id, url: 'https://partner.example/hooks', statuses: ['ARRIVED' as never] } }, acme.keys.TENANT_ADMIN);
    expect(errorCodes(unknownStatus)).toEqual(['BAD_USER_INPUT']);
    expect(unknownStatus.errors![0]!.message).toMatch(/ARRIVED/);
    expect(await t.app.prisma.webhookEndpoint.count()).toBe(before);
  });

  it('in production accepts only https URLs on public addresses, checked on what the name resolves to', async () => {
    const strict = { allowInsecureUrls: false };
    for (const url of ['http://93.184.216.34/hooks', 'https://127.0.0.1/hooks', 'https://localhost/hooks', 'https://10.1.2.3/hooks', 'https://169.254.169.254/latest', 'https://[::1]/hooks', 'https://[fd00::1]/hooks']) {
      await expect(checkEndpointUrl(url, strict), url).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
    await expect(checkEndpointUrl('https://93.184.216.34/hooks#frag', strict)).resolves.toBe('https://93.184.216.34/hooks');
    await expect(checkEndpointUrl('http://127.0.0.1:8080/hooks', { allowInsecureUrls: true })).resolves.toBe('http://127.0.0.1:8080/hooks');
    const env = { DATA_DIR: '/nonexistent', ADMIN_API_KEY: 'k'.repeat(40), MASTER_KEY: randomBytes(32).toString('base64'), DATABASE_URL: 'postgres://h/db' };
    expect(loadConfig({ ...env, NODE_ENV: 'production' }).webhooks.allowInsecureUrls).toBe(false);
    expect(loadConfig({ ...env, NODE_ENV: 'production', WEBHOOK_ALLOW_INSECURE_URLS: 'true' }).webhooks.allowInsecureUrls).toBe(true);
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).webhooks).toMatchObject({ allowInsecureUrls: true, retryScheduleMs: [5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000], disableAfterMs: 5 * 86_400_000 });
    expect(() => loadConfig({ ...env, WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE must be 1-30 comma-separated durations/);
  });
});

describe('deliveries', () => {
  it('posts a signed test delivery the receiver verifies, and records the attempt without the body', async () => {
    const receiver = await new Receiver().start();
    const { endpoint, secret } = await register(receiver);
    const test = ok(await t.exec(SendTest, { endpointId: endpoint.id }, acme.keys.TENANT_ADMIN)).sendTestWebhook;
    expect(test).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    const [request] = await receiver.received(1);
    expect(request!.headers['webhook-id']).toBe(test.webhookId);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(verify(secret, request!)).toEqual({ type: 'webhook.test', timestamp: expect.any(String), data: { tenantId: acme.id, endpointId: endpoint.id } });
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(request!.body, request!.headers as Record<string, string>)).toThrow(WebhookVerificationError);

    const done = await settled(rawId(test.id));
    expect(done).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
    expect(done.attempts).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    expect(done.endpoint.lastSuccessAt).toBeInstanceOf(Date);
    const listed = ok(await t.exec(Deliveries, { id: endpoint.id }, acme.keys.TENANT_ADMIN)).node;
    expect(listed).toMatchObject({ deliveries: { edges: [{ node: { id: test.id, status: 'SUCCEEDED', attemptCount: 1, attempts: [{ statusCode: 200, error: null }] } }] } });
    await cleanUp(endpoint.id);
    await receiver.close();
  });

  it('delivers an event with a thin payload, retries after 503 with the same webhook-id, and honours the filter', async () => {
    const receiver = await new Receiver().start();
    const all = await register(receiver);
    const failedOnly = await register(receiver, { statuses: ['FAILED'] });
    receiver.script.push({ status: 503 }, { status: 503 });
    const delivered = event({ campaignId: randomUUID(), reason: null });
    const ids = await publish(delivered);
    expect(ids).toHaveLength(1); // the FAILED-only endpoint gets nothing
    expect(await publish(delivered)).toEqual([]); // the same event again: no second delivery

    const requests = await receiver.received(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${ids[0]}`]));
    for (const request of requests) {
      expect(verify(all.secret, request)).toEqual({
        type: 'send.delivered',
        timestamp: '2026-12-01T10:00:01.000Z',
        data: {
          cursor: delivered.cursor,
          tenantId: acme.id,
          sendId: Buffer.from(`Send:${delivered.sendId}`).toString('base64'),
          campaignId: Buffer.from(`Campaign:${delivered.campaignId}`).toString('base64'),
          status: 'DELIVERED',
          giftStatus: null,
          channel: 'SMS',
          provider: 'sms-46elks',
          providerAt: '2026-12-01T10:00:00.000Z',
          at: '2026-12-01T10:00:01.000Z',
          reason: null,
        },
      });
    }
    const done = await settled(ids[0]!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3, eventType: 'send.delivered' });
    expect(done.attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
    expect(done.attempts.every((a) => a.latencyMs >= 0)).toBe(true);
    expect(done.endpoint).toMatchObject({ consecutiveFailures: 0, failingSince: null });

    const failedIds = await publish(event({ status: 'FAILED', reason: 'invalid_number', provider: null }));
    expect(failedIds).toHaveLength(2);
    const gift = await publish(event({ status: 'DELIVERED', giftStatus: 'REDEEMED' }));
    expect(gift).toHaveLength(1);
    expect((await settled(gift[0]!)).eventType).toBe('gift.redeemed');
    for (const id of failedIds) await settled(id);
    const toFailedOnly = await t.app.prisma.webhookDelivery.findMany({ where: { endpointId: rawId(failedOnly.endpoint.id) } });
    expect(toFailedOnly.map((d) => d.eventType)).toEqual(['send.failed']);
    await cleanUp(all.endpoint.id, failedOnly.endpoint.id);
    await receiver.close();
  });

  it('gives up after the schedule, honours Retry-After on 429 and 503, and the deliveries page size', async () => {
    const receiver = await new Receiver().start();
    const { endpoint } = await register(receiver);
    receiver.script.push({ status: 500 }, { status: 500 }, { status: 502 }, { status: 500 });
    const [exhausted] = await publish(event());
    const failed = await settled(exhausted!);
    expect(failed).toMatchObject({ status: 'FAILED', attemptCount: 4, nextAttemptAt: null });
    expect(failed.endpoint).toMatchObject({ enabled: true, consecutiveFailures: 4 });

    receiver.script.push({ status: 503, headers: { 'retry-after': '120' } });
    const [later] = await publish(event());
    await receiver.received(5);
    await vi.waitFor(async () => expect((await deliveryOf(later!)).attemptCount).toBe(1), { timeout: 15_000, interval: 10 });
    const waiting = await deliveryOf(later!);
    expect(waiting.status).toBe('PENDING');
    expect(waiting.nextAttemptAt!.getTime() - waiting.lastAttemptAt!.getTime()).toBe(120_000);

    const tooMany = await t.exec(Deliveries, { id: endpoint.id, first: 101 }, acme.keys.TENANT_ADMIN);
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    await cleanUp(endpoint.id);
    await receiver.close();
  });

  it('disables an endpoint at once on 410, with an audit event, and redelivers once it is enabled again', async () => {
    const receiver = await new Receiver().start();
    const { endpoint, secret } = await register(receiver);
    receiver.script.push({ status: 410 });
    const [gone] = await publish(event());
    const failed = await settled(gone!);
    expect(failed).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(failed.endpoint).toMatchObject({ enabled: false, disabledReason: 'GONE' });
    expect(receiver.requests).toHaveLength(1);
    const audit = ok(await t.exec(AuditLog, { id: acme.id })).tenant!.auditLog.edges.map((e) => e.node);
    expect(audit).toContainEqual({ action: 'webhookEndpoint.disabled.GONE', actor: 'system', targetType: 'WebhookEndpoint', targetId: rawId(endpoint.id) });

    // Nothing goes to a disabled endpoint: no new deliveries, no test, no redelivery.
    expect(await publish(event())).toEqual([]);
    expect(errorCodes(await t.exec(SendTest, { endpointId: endpoint.id }, acme.keys.TENANT_ADMIN))).toEqual(['BAD_USER_INPUT']);
    const deliveryId = Buffer.from(`WebhookDelivery:${gone}`).toString('base64');
    expect(errorCodes(await t.exec(Redeliver, { deliveryId }, acme.keys.TENANT_ADMIN))).toEqual(['BAD_USER_INPUT']);

    const enabled = ok(await t.exec(EnableEndpoint, { id: endpoint.id }, acme.keys.TENANT_ADMIN)).enableWebhookEndpoint;
    expect(enabled).toEqual({ id: endpoint.id, enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null });
    const again = ok(await t.exec(Redeliver, { deliveryId }, acme.keys.TENANT_ADMIN)).redeliverWebhook;
    expect(again).toMatchObject({ status: 'PENDING', attemptCount: 1 });
    const requests = await receiver.received(2);
    expect(requests[1]!.headers['webhook-id']).toBe(requests[0]!.headers['webhook-id']);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    verify(secret, requests[1]!);
    expect(await settled(gone!)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });

    const disabled = ok(await t.exec(DisableEndpoint, { id: endpoint.id }, acme.keys.TENANT_ADMIN)).disableWebhookEndpoint;
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'DISABLED_BY_USER' });
    await cleanUp(endpoint.id);
    await receiver.close();
  });

  it('disables an endpoint that has failed for longer than the configured period, with an audit event', async () => {
    const receiver = await new Receiver().start();
    const { endpoint } = await register(receiver);
    const firstFailure = new Date();
    await t.app.prisma.webhookEndpoint.update({ where: { id: rawId(endpoint.id) }, data: { failingSince: firstFailure, consecutiveFailures: 12 } });
    const [id] = await t.app.prisma.$transaction((tx) => createDeliveries(tx, rawId(acme.id), [event()]));
    receiver.script.push({ status: 500 });
    // This deliverer's clock stands just past the period (5 days by default) after the first failure.
    const later = new WebhookDeliverer({ ...t.app, dispatcher: t.app.outbound.dispatcher, now: () => new Date(firstFailure.getTime() + t.config.webhooks.disableAfterMs) });
    await later.deliver(id!);
    const done = await deliveryOf(id!);
    expect(done).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(done.endpoint).toMatchObject({ enabled: false, disabledReason: 'FAILING', consecutiveFailures: 13 });
    const audit = ok(await t.exec(AuditLog, { id: acme.id })).tenant!.auditLog.edges.map((e) => e.node);
    expect(audit).toContainEqual({ action: 'webhookEndpoint.disabled.FAILING', actor: 'system', targetType: 'WebhookEndpoint', targetId: rawId(endpoint.id) });
    await cleanUp(endpoint.id);
    await receiver.close();
  });

  it('refuses to connect to a non-public address when insecure URLs are not allowed', async () => {
    const receiver = await new Receiver().start();
    const { endpoint } = await register(receiver);
    const [id] = await t.app.prisma.$transaction((tx) => createDeliveries(tx, rawId(acme.id), [event()]));
    const guarded = createOutboundPolicy({ allowPrivateNetworks: false });
    await new WebhookDeliverer({ ...t.app, dispatcher: guarded.dispatcher }).deliver(id!);
    await guarded.close();
    const done = await deliveryOf(id!);
    expect(done.attempts).toEqual([expect.objectContaining({ statusCode: null, error: 'blocked_address' })]);
    expect(receiver.requests).toHaveLength(0);
    await cleanUp(endpoint.id);
    await receiver.close();
  });
});

describe('secret rotation', () => {
  it('signs with both secrets during the overlap, then with the new one only', async () => {
    const receiver = await new Receiver().start();
    const { endpoint, secret: first } = await register(receiver);
    const rotated = ok(await t.exec(RotateSecret, { input: { id: endpoint.id } }, acme.keys.TENANT_ADMIN)).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(first);
    expect(new Date(rotated.endpoint.previousSecretExpiresAt!).getTime()).toBeGreaterThan(Date.now() + 86_000_000);
    ok(await t.exec(SendTest, { endpointId: endpoint.id }, acme.keys.TENANT_ADMIN));
    const [overlap] = await receiver.received(1);
    expect(String(overlap!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verify(first, overlap!);
    verify(rotated.secret, overlap!);

    const final = ok(await t.exec(RotateSecret, { input: { id: endpoint.id, overlapSeconds: 0 } }, acme.keys.TENANT_ADMIN)).rotateWebhookSecret;
    expect(final.endpoint.previousSecretExpiresAt).toBeNull();
    ok(await t.exec(SendTest, { endpointId: endpoint.id }, acme.keys.TENANT_ADMIN));
    const [, after] = await receiver.received(2);
    verify(final.secret, after!);
    expect(() => verify(rotated.secret, after!)).toThrow(WebhookVerificationError);

    const tooLong = await t.exec(RotateSecret, { input: { id: endpoint.id, overlapSeconds: 8 * 86_400 } }, acme.keys.TENANT_ADMIN);
    expect(errorCodes(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0]!.extensions!.field).toBe('overlapSeconds');
    await cleanUp(endpoint.id);
    await receiver.close();
  });
});

describe('access', () => {
  it('refuses every field and mutation to VIEWER, SENDER and DPO, and to another tenant', async () => {
    const receiver = await new Receiver().start();
    const { endpoint } = await register(receiver);
    const test = ok(await t.exec(SendTest, { endpointId: endpoint.id }, acme.keys.TENANT_ADMIN)).sendTestWebhook;
    await settled(rawId(test.id));
    const calls = {
      create: (key: string) => t.exec(CreateEndpoint, { input: { tenantId: acme.id, url: receiver.url } }, key),
      update: (key: string) => t.exec(UpdateEndpoint, { input: { id: endpoint.id, description: 'x' } }, key),
      disable: (key: string) => t.exec(DisableEndpoint, { id: endpoint.id }, key),
      enable: (key: string) => t.exec(EnableEndpoint, { id: endpoint.id }, key),
      delete: (key: string) => t.exec(DeleteEndpoint, { id: endpoint.id }, key),
      rotate: (key: string) => t.exec(RotateSecret, { input: { id: endpoint.id } }, key),
      test: (key: string) => t.exec(SendTest, { endpointId: endpoint.id }, key),
      redeliver: (key: string) => t.exec(Redeliver, { deliveryId: test.id }, key),
      list: (key: string) => t.exec(Endpoints, { id: acme.id }, key),
      deliveries: (key: string) => t.exec(Deliveries, { id: endpoint.id }, key),
      delivery: (key: string) => t.exec(`query { node(id: "${test.id}") { ... on WebhookDelivery { id } } }`, {}, key),
    };
    for (const [name, call] of Object.entries(calls)) {
      for (const key of [acme.keys.VIEWER, acme.keys.SENDER, acme.keys.DPO, other.keys.TENANT_ADMIN]) {
        expect(errorCodes(await call(key)), name).toEqual(['FORBIDDEN']);
      }
    }
    expect(errorCodes(await t.exec(CreateEndpoint, { input: { tenantId: acme.id, url: receiver.url } }, null))).toEqual(['UNAUTHENTICATED']);
    // A wrong-typed or unknown id names nothing.
    expect(errorCodes(await t.exec(DisableEndpoint, { id: acme.id }, acme.keys.TENANT_ADMIN))).toEqual(['NOT_FOUND']);
    const unknown = Buffer.from(`WebhookEndpoint:${randomUUID()}`).toString('base64');
    expect(errorCodes(await t.exec(DisableEndpoint, { id: unknown }, acme.keys.TENANT_ADMIN))).toEqual(['NOT_FOUND']);
    expect(await t.app.prisma.webhookEndpoint.count({ where: { tenantId: rawId(acme.id), description: 'x' } })).toBe(0);
    await cleanUp(endpoint.id);
    await receiver.close();
  });
});

describe('from the event log', () => {
  const setUp = (tenant: typeof acme) =>
    t.exec<{ upsertRecipient: { id: string } }, { tenantId: string }>(
      `mutation($tenantId: ID!) {
        definePurpose(input: { tenantId: $tenantId, key: "orders", legalBasis: CONTRACT }) { key }
        configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
        upsertRecipient(input: { tenantId: $tenantId, externalId: "anna-1", name: "Anna Andersson", phone: "+46701234567" }) { id }
      }`,
      { tenantId: tenant.id },
      tenant.keys.TENANT_ADMIN,
    );
  const send = async (tenant: typeof acme, recipientId: string) =>
    ok(
      await t.exec<{ createSend: { id: string } }, { r: string }>(
        `mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "orders", message: { body: "Hej {{name}}" } }) { id } }`,
        { r: recipientId },
        tenant.keys.SENDER,
      ),
    ).createSend.id;

  it("delivers each status change of the tenant's sends once, from the moment the endpoint exists, and nothing of another tenant's", async () => {
    const acmeRecipient = ok(await setUp(acme)).upsertRecipient.id;
    const otherRecipient = ok(await setUp(other)).upsertRecipient.id;
    const receiver = await new Receiver().start();
    const earlier = await send(acme, acmeRecipient);
    await vi.waitFor(async () => expect((await t.app.prisma.send.findUniqueOrThrow({ where: { id: rawId(earlier) } })).status).toBe('DELIVERED'), { timeout: 15_000, interval: 20 });

    const { endpoint, secret } = await register(receiver);
    const tenantId = rawId(acme.id);
    const registeredAt = await headPosition(t.app.prisma, tenantId);
    const sendId = await send(acme, acmeRecipient);
    await send(other, otherRecipient);
    const requests = await receiver.received(4);
    const payloads = requests.map((r) => verify(secret, r));
    expect(payloads.map((p) => p.type).sort()).toEqual(['send.delivered', 'send.queued', 'send.sending', 'send.sent']);
    expect(new Set(payloads.map((p) => p.data.sendId))).toEqual(new Set([sendId]));
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(4);
    expect(JSON.stringify(payloads)).not.toMatch(/Anna|46701234567|anna-1|Hej/);

    // The cursor is at the head; fanning out again, even twice at once, creates nothing more.
    const head = await headPosition(t.app.prisma, tenantId);
    await vi.waitFor(async () => expect((await t.app.prisma.webhookCursor.findUniqueOrThrow({ where: { tenantId } })).position).toBe(head), { timeout: 15_000, interval: 20 });
    await t.app.prisma.webhookCursor.update({ where: { tenantId }, data: { position: registeredAt } });
    const again = await Promise.all([fanOutOnce(t.app, tenantId), fanOutOnce(t.app, tenantId)]);
    expect(again.map((step) => step.deliveries)).toEqual([0, 0]);
    expect(await t.app.prisma.webhookDelivery.count({ where: { endpointId: rawId(endpoint.id) } })).toBe(4);
    expect(receiver.requests).toHaveLength(4);
    await cleanUp(endpoint.id);
    await receiver.close();
  });
});

describe('retry timing', () => {
  it('jitters the schedule by at most a fifth and reads Retry-After as seconds or an HTTP date', () => {
    expect(scheduledDelayMs([1000, 5000], 0, () => 0)).toBe(800);
    expect(scheduledDelayMs([1000, 5000], 1, () => 1)).toBe(6000);
    expect(scheduledDelayMs([1000, 5000], 2, () => 0.5)).toBeNull();
    const now = new Date('2026-12-01T10:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});

async function cleanUp(...endpointIds: string[]) {
  for (const id of endpointIds) ok(await t.exec(DeleteEndpoint, { id }, acme.keys.TENANT_ADMIN));
}
