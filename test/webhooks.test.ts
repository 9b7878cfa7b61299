// Provider callbacks over real HTTP: each provider's fake calls the running server back exactly as
// the provider would (signed where it signs), and the verified events land once in ProviderEvent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLEARON_API_KEY, FAKE_CLEARON_WEBHOOK_SECRET, startClearOnFake } from '../plugins/coupon-clearon/fake-server.ts';
import { FAKE_SENDGRID_API_KEY, startSendGridFake } from '../plugins/email-sendgrid/fake-server.ts';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake } from '../plugins/sms-46elks/fake-server.ts';
import { FAKE_LEKAB_PASSWORD, FAKE_LEKAB_USERNAME, startLekabFake } from '../plugins/sms-lekab/fake-server.ts';
import { twilioSignature } from '../plugins/sms-twilio/index.ts';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startTwilioFake } from '../plugins/sms-twilio/fake-server.ts';
import { openChannelById } from '../src/channels/open-channels.ts';
import { MAX_WEBHOOK_BODY_BYTES } from '../src/channels/webhooks.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

const ConfigureWebhookChannel = graphql(`
  mutation ConfigureWebhookChannel($input: ConfigureChannelInput!) {
    configureChannel(input: $input) { id webhookUrl }
  }
`);

let t: TestApp;
let server: RunningServer;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  t = await createTestApp();
  server = await startServer(t.app, 0, '127.0.0.1');
  // PUBLIC_URL is the server's own address here, so the callback URLs handed out reach it.
  t.app.config.publicUrl = server.url;
  tenant = await seedTenant(t, 'Webhook AB');
});
afterAll(async () => {
  for (const close of closers) await close();
  await server?.close();
  await t?.close();
});

/** Configures a channel as the tenant admin; returns its database id and callback URL. */
async function channel(pluginId: string, config: Record<string, unknown>) {
  const { configureChannel } = ok(await t.exec(ConfigureWebhookChannel, { input: { tenantId: tenant.id, pluginId, config } }, tenant.keys.TENANT_ADMIN));
  return { id: decodeGlobalId(configureChannel.id)!.id, webhookUrl: configureChannel.webhookUrl };
}

async function send(configId: string, to: { phone?: string; email?: string }) {
  const { plugin, context } = await openChannelById(t.app, configId);
  const n = Math.random().toString(36).slice(2);
  if (plugin.channel === 'COUPON') return (await plugin.issue({ sendId: `send-${n}`, idempotencyKey: `idem-${n}`, offerId: 'cmp_summer', to }, context)).providerGiftId;
  return (await plugin.send({ sendId: `send-${n}`, idempotencyKey: `idem-${n}`, to, subject: 'Hello', body: 'Your order has shipped' }, context)).providerMessageId;
}

const events = (channelConfigId: string) =>
  t.app.prisma.providerEvent.findMany({
    where: { channelConfigId },
    orderBy: [{ providerRef: 'asc' }, { status: 'asc' }],
    select: { id: true, tenantId: true, pluginId: true, kind: true, providerRef: true, status: true, occurredAt: true, processedAt: true },
  });

/** HTTP statuses the server answered on webhook paths, from its request log. */
function webhookStatuses(): number[] {
  return t.logs
    .map((line) => JSON.parse(line) as { msg?: string; path?: string; status?: number })
    .filter((entry) => entry.msg === 'request' && entry.path?.startsWith('/webhooks/'))
    .map((entry) => entry.status!);
}

/** The statuses answered while `action` ran. */
async function answered(action: () => Promise<unknown>): Promise<number[]> {
  const before = webhookStatuses().length;
  await action();
  return webhookStatuses().slice(before);
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

describe('46elks delivery reports (unsigned: the token is the authentication)', () => {
  let elks: { id: string; webhookUrl: string };

  beforeAll(async () => {
    const fake = await start46elksFake();
    closers.push(fake.close);
    elks = await channel('sms-46elks', { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Acme', baseUrl: fake.baseUrl, timeoutMs: 2000 });
    expect(elks.webhookUrl.startsWith(`${server.url}/webhooks/sms-46elks/`)).toBe(true);
    const id = await send(elks.id, { phone: '+46701234567' });
    expect(await answered(() => fake.emitCallback(id, 'delivered'))).toEqual([200, 200]);
  });

  it('stores each status once, in the tenant channel\'s inbox', async () => {
    const stored = await events(elks.id);
    expect(stored.map((e) => [e.kind, e.status, e.pluginId, e.processedAt])).toEqual([
      ['message', 'DELIVERED', 'sms-46elks', null],
      ['message', 'SENT', 'sms-46elks', null],
    ]);
    expect(stored[0]!.providerRef).toMatch(/^s[0-9a-f]{32}$/);
    expect(stored[0]!.tenantId).toBe(decodeGlobalId(tenant.id)!.id);
  });

  it('a repeated callback is answered 200 and changes nothing', async () => {
    const before = await events(elks.id);
    const providerRef = before[0]!.providerRef;
    expect(await answered(() => post(elks.webhookUrl, `id=${providerRef}&status=delivered&delivered=2030-01-01T00:00:00.000000`))).toEqual([200]);
    expect(await events(elks.id)).toEqual(before);
  });

  it('a bad, tampered or foreign token is 401 and stores nothing', async () => {
    const before = await events(elks.id);
    const token = elks.webhookUrl.split('/').pop()!;
    const [idPart, mac] = token.split('.') as [string, string];
    const flipped = `${idPart}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'AB' : 'AA'}`;
    const twilio = await channel('sms-twilio', { accountSid: FAKE_TWILIO_ACCOUNT_SID, authToken: 'x', from: '+15017122661' });
    const foreign = twilio.webhookUrl.split('/').pop()!;
    const body = `id=${before[0]!.providerRef}&status=failed`;
    for (const bad of ['not-a-token', `${idPart}.`, flipped, foreign, `${idPart}.${mac}.extra`]) {
      const res = await post(`${server.url}/webhooks/sms-46elks/${bad}`, body);
      expect(res.status, bad).toBe(401);
    }
    expect(await events(elks.id)).toEqual(before);
  });

  it('answers 404 for an unknown plugin and for a plugin that takes no callbacks', async () => {
    const token = elks.webhookUrl.split('/').pop()!;
    expect((await post(`${server.url}/webhooks/sms-nonexistent/${token}`, 'id=1')).status).toBe(404);
    expect((await post(`${server.url}/webhooks/push-fcm/${token}`, 'id=1')).status).toBe(404);
  });

  it('refuses a body over the size cap with 413, and methods other than GET and POST with 405', async () => {
    const before = await events(elks.id);
    const huge = await post(elks.webhookUrl, `id=${before[0]!.providerRef}&status=failed&pad=${'x'.repeat(MAX_WEBHOOK_BODY_BYTES)}`);
    expect(huge.status).toBe(413);
    // Sent in chunks with no length announced: counted while read.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(elks.webhookUrl, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await events(elks.id)).toEqual(before);
    const put = await fetch(elks.webhookUrl, { method: 'PUT', body: 'id=1' });
    expect(put.status).toBe(405);
  });

  it('keeps the token out of the logs', () => {
    const token = elks.webhookUrl.split('/').pop()!;
    const text = t.logs.join('\n');
    expect(text).toContain('/webhooks/sms-46elks/[token]');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]!);
  });
});

describe('Lekab delivery reports (GET with query parameters, account-level URL)', () => {
  it('stores a delivery once, however often it is reported', async () => {
    const settings = { username: FAKE_LEKAB_USERNAME, password: FAKE_LEKAB_PASSWORD, from: 'Acme', timeoutMs: 2000 };
    const placeholder = await channel('sms-lekab', settings);
    const fake = await startLekabFake({ callbackUrl: placeholder.webhookUrl });
    closers.push(fake.close);
    const lekab = await channel('sms-lekab', { ...settings, baseUrl: fake.baseUrl });
    const id = await send(lekab.id, { phone: '+46701234567' });
    expect(await answered(() => fake.emitCallback(id, 'delivered'))).toEqual([200]);
    expect(await answered(() => fake.emitCallback(id, 'delivered'))).toEqual([200]);
    expect((await events(lekab.id)).map((e) => [e.kind, e.providerRef, e.status])).toEqual([['message', id, 'DELIVERED']]);
    // The report's query carries the phone number: only the path is logged.
    expect(t.logs.join('\n')).not.toContain('46701234567');
  });
});

describe('Twilio status callbacks (X-Twilio-Signature over the public URL)', () => {
  let twilio: { id: string; webhookUrl: string };

  beforeAll(async () => {
    const fake = await startTwilioFake();
    closers.push(fake.close);
    twilio = await channel('sms-twilio', { accountSid: FAKE_TWILIO_ACCOUNT_SID, authToken: FAKE_TWILIO_AUTH_TOKEN, from: '+15017122661', baseUrl: fake.baseUrl, timeoutMs: 2000 });
    const id = await send(twilio.id, { phone: '+46701234567' });
    expect(await answered(() => fake.emitCallback(id, 'delivered'))).toEqual([200, 200]);
    expect(await answered(() => fake.emitCallback(id, 'delivered'))).toEqual([200, 200]);
  });

  it('stores SENT and DELIVERED once each, however often Twilio calls', async () => {
    expect((await events(twilio.id)).map((e) => [e.kind, e.status])).toEqual([
      ['message', 'DELIVERED'],
      ['message', 'SENT'],
    ]);
  });

  it('refuses a callback whose body no longer matches its signature, or has none', async () => {
    const before = await events(twilio.id);
    const params = new URLSearchParams({ MessageSid: before[0]!.providerRef, MessageStatus: 'delivered', AccountSid: FAKE_TWILIO_ACCOUNT_SID });
    const signature = twilioSignature(FAKE_TWILIO_AUTH_TOKEN, twilio.webhookUrl, params);
    params.set('MessageStatus', 'failed');
    expect((await post(twilio.webhookUrl, params.toString(), { 'x-twilio-signature': signature })).status).toBe(401);
    expect((await post(twilio.webhookUrl, params.toString())).status).toBe(401);
    expect(await events(twilio.id)).toEqual(before);
  });

  it('checks the signature against PUBLIC_URL, the address the provider called, not the local one', async () => {
    const localUrl = t.app.config.publicUrl;
    t.app.config.publicUrl = 'https://sends.example.com';
    try {
      const path = new URL(twilio.webhookUrl).pathname;
      const params = new URLSearchParams({ MessageSid: `SM${'ab'.repeat(16)}`, MessageStatus: 'failed', AccountSid: FAKE_TWILIO_ACCOUNT_SID, ErrorCode: '30003' });
      const signedForLocal = twilioSignature(FAKE_TWILIO_AUTH_TOKEN, `${server.url}${path}`, params);
      expect((await post(`${server.url}${path}`, params.toString(), { 'x-twilio-signature': signedForLocal })).status).toBe(401);
      const signedForPublic = twilioSignature(FAKE_TWILIO_AUTH_TOKEN, `https://sends.example.com${path}`, params);
      expect((await post(`${server.url}${path}`, params.toString(), { 'x-twilio-signature': signedForPublic })).status).toBe(200);
    } finally {
      t.app.config.publicUrl = localUrl;
    }
    expect((await events(twilio.id)).find((e) => e.providerRef === `SM${'ab'.repeat(16)}`)).toMatchObject({ status: 'FAILED' });
  });
});

describe('SendGrid event webhook (ECDSA-signed, account-level URL)', () => {
  let sendgrid: { id: string; webhookUrl: string };
  let fake: Awaited<ReturnType<typeof startSendGridFake>>;
  let messageId: string;

  beforeAll(async () => {
    // The account-level URL is known once the channel exists; the fake needs it to start.
    const placeholder = await channel('email-sendgrid', { apiKey: FAKE_SENDGRID_API_KEY, fromEmail: 'no-reply@acme.example' });
    fake = await startSendGridFake({ callbackUrl: placeholder.webhookUrl });
    closers.push(fake.close);
    sendgrid = await channel('email-sendgrid', {
      apiKey: FAKE_SENDGRID_API_KEY,
      fromEmail: 'no-reply@acme.example',
      webhookPublicKey: fake.webhookPublicKey,
      baseUrl: fake.baseUrl,
      timeoutMs: 2000,
    });
    expect(sendgrid).toEqual(placeholder);
    messageId = await send(sendgrid.id, { email: 'customer@example.org' });
  });

  it('stores a delivered event once, however often it is posted', async () => {
    expect(await answered(() => fake.emitCallback(messageId, 'delivered'))).toEqual([200]);
    expect(await answered(() => fake.emitCallback(messageId, 'delivered'))).toEqual([200]);
    expect((await events(sendgrid.id)).map((e) => [e.kind, e.providerRef, e.status])).toEqual([['message', messageId, 'DELIVERED']]);
  });

  it('refuses a tampered batch with 401 and a signed body that is not JSON with 400', async () => {
    const before = await events(sendgrid.id);
    const body = JSON.stringify([{ event: 'bounce', sg_message_id: `${messageId}.filter-1`, timestamp: Math.floor(Date.now() / 1000) }]);
    const { signature, timestamp } = fake.signBody(body);
    const headers = { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
    expect((await post(sendgrid.webhookUrl, body.replace('bounce', 'dropped'), headers)).status).toBe(401);

    const garbage = 'this is not json';
    const signedGarbage = fake.signBody(garbage);
    const res = await post(sendgrid.webhookUrl, garbage, {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': signedGarbage.signature,
      'x-twilio-email-event-webhook-timestamp': signedGarbage.timestamp,
    });
    expect(res.status).toBe(400);
    expect(await events(sendgrid.id)).toEqual(before);

    expect((await post(sendgrid.webhookUrl, body, headers)).status).toBe(200);
    expect((await events(sendgrid.id)).map((e) => e.status)).toEqual(['DELIVERED', 'FAILED']);
  });
});

describe('ClearOn redemption webhook (HMAC-signed, account-level URL)', () => {
  let clearOn: { id: string; webhookUrl: string };
  let fake: Awaited<ReturnType<typeof startClearOnFake>>;
  let couponId: string;

  beforeAll(async () => {
    const settings = { apiKey: FAKE_CLEARON_API_KEY, webhookSecret: FAKE_CLEARON_WEBHOOK_SECRET, timeoutMs: 2000 };
    const placeholder = await channel('coupon-clearon', { ...settings, baseUrl: 'https://clearon.invalid' });
    fake = await startClearOnFake({ callbackUrl: placeholder.webhookUrl });
    closers.push(fake.close);
    clearOn = await channel('coupon-clearon', { ...settings, baseUrl: fake.baseUrl });
    couponId = await send(clearOn.id, {});
  });

  it('stores a redemption once, however often it is posted', async () => {
    expect(await answered(() => fake.emitCallback(couponId, 'redeemed'))).toEqual([200]);
    expect(await answered(() => fake.emitEvent(couponId, 'coupon.redeemed'))).toEqual([200]);
    expect((await events(clearOn.id)).map((e) => [e.kind, e.providerRef, e.status])).toEqual([['gift', couponId, 'REDEEMED']]);
  });

  it('refuses a tampered or stale signature with 401', async () => {
    const before = await events(clearOn.id);
    const body = JSON.stringify({ event_id: 'evt_1', type: 'coupon.cancelled', occurred_at: new Date().toISOString(), coupon: { id: couponId } });
    expect((await post(clearOn.webhookUrl, body.replace('cancelled', 'expired'), { 'content-type': 'application/json', 'x-signature': fake.sign(body) })).status).toBe(401);
    const stale = fake.sign(body, Math.floor(Date.now() / 1000) - 3600);
    expect((await post(clearOn.webhookUrl, body, { 'content-type': 'application/json', 'x-signature': stale })).status).toBe(401);
    expect(await events(clearOn.id)).toEqual(before);
  });
});

describe('the local dev catcher', () => {
  it('calls back on its own, so the embedded default records delivery with no provider account', async () => {
    const dev = await channel('dev-sms', {});
    const id = await send(dev.id, { phone: '+46701234567' });
    const stored = await waitFor(() => events(dev.id), (rows) => rows.length > 0);
    expect(stored.map((e) => [e.providerRef, e.status])).toEqual([[id, 'DELIVERED']]);
  });
});
