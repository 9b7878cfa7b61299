import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, WebhookAuthError, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { basicAuth } from '../../src/channels/kit/index.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startTwilioFake, type FakeTwilio } from './fake-server.ts';
import { configSchema, plugin, twilioSignature, type TwilioConfig } from './index.ts';

const config = (fake: { baseUrl: string }, extra: Partial<TwilioConfig> = {}): TwilioConfig => ({
  accountSid: FAKE_TWILIO_ACCOUNT_SID,
  authToken: FAKE_TWILIO_AUTH_TOKEN,
  from: '+15017122661',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<TwilioConfig>({
  plugin,
  startFake: ({ callbackUrl }) => startTwilioFake({ callbackUrl }),
  validConfig: (fake) => config(fake),
  badAuthConfig: (fake) => config(fake, { authToken: 'not-the-auth-token' }),
  signsWebhooks: true,
});

describe('sms-twilio specifics', () => {
  let fake: FakeTwilio;
  let receiver: Receiver;
  let callbackUrl: string;
  const ctx = (extra: Partial<TwilioConfig> = {}): PluginContext<TwilioConfig> => pluginContext(config(fake, extra), callbackUrl);
  const message = (phone = '+46701234567') => ({ sendId: 'send_1', idempotencyKey: 'idem_1', to: { phone }, body: 'Hej! Koden är 1234' });

  beforeAll(async () => {
    receiver = await startReceiver();
    callbackUrl = `${receiver.baseUrl}/webhooks/sms-twilio/tok456?tenant=t1`;
    fake = await startTwilioFake();
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('posts PascalCase form fields with Basic auth and StatusCallback = ctx.callbackUrl', async () => {
    const before = fake.received.length;
    const result = await plugin.send(message(), ctx());
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'SENT' });
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}/Messages.json`);
    expect(request.headers['authorization']).toBe(basicAuth(FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN));
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+46701234567',
      From: '+15017122661',
      Body: 'Hej! Koden är 1234',
      StatusCallback: callbackUrl,
    });
  });

  it('polls a Message for an overdue report: null until final, then its status', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    expect(await plugin.status!(providerMessageId, ctx())).toBeNull();
    fake.messages.get(providerMessageId)!.status = 'undelivered';
    expect(await plugin.status!(providerMessageId, ctx())).toMatchObject({ kind: 'message', providerMessageId, status: 'FAILED', detail: expect.stringContaining('Twilio status undelivered') });
  });

  it('uses MessagingServiceSid instead of From, and passes ValidityPeriod', async () => {
    const before = fake.received.length;
    const service = `MG${'ab'.repeat(16)}`;
    await plugin.send(message(), ctx({ from: undefined, messagingServiceSid: service, validityPeriodSeconds: 600 }));
    const form = new URLSearchParams(fake.received[before]!.body);
    expect(form.get('MessagingServiceSid')).toBe(service);
    expect(form.has('From')).toBe(false);
    expect(form.get('ValidityPeriod')).toBe('600');
  });

  it('maps Twilio recipient errors to invalid_recipient without quoting the number', async () => {
    for (const [phone, code] of [
      ['+15005550001', 21211],
      ['+15005550004', 21610],
      ['+15005550009', 21614],
    ] as const) {
      const err = await plugin.send(message(phone), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ retryable: false, reason: 'invalid_recipient', status: 400 });
      expect((err as Error).message).toContain(String(code));
      expect((err as Error).message).not.toContain(phone.slice(1));
    }
  });

  it('other 400s are permanent rejections carrying only the Twilio code', async () => {
    const err = await plugin.send(message(), ctx({ from: undefined })).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
    expect((err as Error).message).toContain('Twilio error 21603');
  });

  it('429 is retryable with Retry-After', async () => {
    fake.failNext('rate_limit');
    const err = await plugin.send(message(), ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, reason: 'rate_limited', status: 429, retryAfterMs: 1000 });
  });

  it('accepts correctly signed status callbacks: sent, then delivered', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'delivered');
    const mine = receiver.captured.slice(start);
    expect(mine).toHaveLength(2);
    expect(mine[0]!.url).toBe(callbackUrl);
    expect(mine[0]!.headers['x-twilio-signature']).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const events = (await Promise.all(mine.map((r) => plugin.parseWebhook!(r, ctx())))).flat();
    expect(events.map((e) => e.kind === 'message' && [e.providerMessageId, e.status])).toEqual([
      [providerMessageId, 'SENT'],
      [providerMessageId, 'DELIVERED'],
    ]);
  });

  it('reports undelivered with the Twilio error code and no personal data', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'failed');
    const events = await plugin.parseWebhook!(receiver.captured[start + 1]!, ctx());
    expect(events).toEqual([{ kind: 'message', providerMessageId, status: 'FAILED', at: expect.any(Date), detail: 'Twilio status undelivered (error 30003)' }]);
  });

  it('rejects callbacks with a missing, forged or replayed-elsewhere signature', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'delivered');
    const genuine = receiver.captured[start + 1]!;
    const { ['x-twilio-signature']: _signature, ...unsigned } = genuine.headers;
    const params = new URLSearchParams(genuine.rawBody);
    const forged = createHmac('sha1', 'some-other-token').update(genuine.url + [...params.keys()].sort().map((k) => k + params.get(k)).join('')).digest('base64');
    const variants: WebhookRequest[] = [
      { ...genuine, headers: unsigned },
      { ...genuine, headers: { ...genuine.headers, 'x-twilio-signature': forged } },
      { ...genuine, url: genuine.url.replace('tok456', 'tok789') },
      { ...genuine, rawBody: genuine.rawBody.replace('MessageStatus=delivered', 'MessageStatus=failed') },
    ];
    for (const request of variants) {
      await expect(plugin.parseWebhook!(request, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
    }
    await expect(plugin.parseWebhook!(genuine, ctx({ authToken: 'rotated-token' }))).rejects.toBeInstanceOf(WebhookAuthError);
    expect(await plugin.parseWebhook!(genuine, ctx())).toHaveLength(1);
  });

  it('signature follows the documented construction (URL, then params sorted by name)', () => {
    const url = 'https://app.example/webhooks/sms-twilio/t?x=1';
    const params = new URLSearchParams({ To: '+46700000000', MessageSid: 'SM1', AccountSid: 'AC1', MessageStatus: 'sent' });
    const expected = createHmac('sha1', 'tok').update(`${url}AccountSidAC1MessageSidSM1MessageStatussentTo+46700000000`).digest('base64');
    expect(twilioSignature('tok', url, params)).toBe(expected);
  });

  it('ignores signed callbacks for another account and non-final statuses', async () => {
    const url = 'https://app.example/webhooks/sms-twilio/t';
    const signed = (fields: Record<string, string>): WebhookRequest => {
      const params = new URLSearchParams(fields);
      return { method: 'POST', url, headers: { 'x-twilio-signature': twilioSignature(FAKE_TWILIO_AUTH_TOKEN, url, params) }, rawBody: params.toString() };
    };
    expect(await plugin.parseWebhook!(signed({ MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: `AC${'f'.repeat(32)}` }), ctx())).toEqual([]);
    expect(await plugin.parseWebhook!(signed({ MessageSid: 'SM1', MessageStatus: 'sending', AccountSid: FAKE_TWILIO_ACCOUNT_SID }), ctx())).toEqual([]);
  });

  it('erase deletes Message records and tolerates ones already gone', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const result = await plugin.erase!({ providerMessageIds: [providerMessageId, `SM${'0'.repeat(32)}`], providerGiftIds: [], to: {} }, ctx());
    expect(result).toEqual({ erased: true, detail: 'deleted 1 message(s) at Twilio, 1 already gone' });
    expect(fake.messages.has(providerMessageId)).toBe(false);
  });

  it('config needs a sender or a Messaging Service and a well-formed Account SID', () => {
    const base = { accountSid: FAKE_TWILIO_ACCOUNT_SID, authToken: 't' };
    expect(configSchema.safeParse({ ...base, from: '+15017122661' }).success).toBe(true);
    expect(configSchema.safeParse({ ...base, from: 'MyShop' }).success).toBe(true);
    expect(configSchema.safeParse({ ...base, messagingServiceSid: `MG${'1'.repeat(32)}` }).success).toBe(true);
    expect(configSchema.safeParse(base).success).toBe(false);
    expect(configSchema.safeParse({ ...base, accountSid: 'AC123', from: 'MyShop' }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, from: 'MyShop', validityPeriodSeconds: 40_000 }).success).toBe(false);
  });
});
