import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, type OutboundMessage, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { FAKE_BREVO_API_KEY, brevoDate, startBrevoFake, type FakeBrevo } from './fake-server.ts';
import { brevoIdempotencyKey, configSchema, normaliseMessageId, plugin, sendTag, type BrevoConfig } from './index.ts';

const config = (fake: { baseUrl: string }, extra: Partial<BrevoConfig> = {}): BrevoConfig => ({
  apiKey: FAKE_BREVO_API_KEY,
  senderEmail: 'no-reply@shop.example',
  senderName: 'Shop',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<BrevoConfig>({
  plugin,
  startFake: ({ callbackUrl }) => startBrevoFake({ callbackUrl }),
  validConfig: (fake) => config(fake),
  badAuthConfig: (fake) => config(fake, { apiKey: 'xkeysib-not-a-known-key-0000' }),
  signsWebhooks: false,
});

const WEBHOOK_TOKEN = 'brevo-webhook-bearer-7d1f3a9c2b';

describe('email-brevo specifics', () => {
  let fake: FakeBrevo;
  let replayFake: FakeBrevo;
  let receiver: Receiver;
  const ctx = (extra: Partial<BrevoConfig> = {}, target: { baseUrl: string } = fake): PluginContext<BrevoConfig> =>
    pluginContext(config(target, extra), `${receiver.baseUrl}/webhooks/email-brevo/tok`);
  let n = 0;
  const message = (extra: Partial<OutboundMessage> = {}): OutboundMessage => {
    n++;
    return {
      sendId: `send_${n}`,
      idempotencyKey: `idem-${n}`,
      to: { email: 'anna@example.se', name: 'Anna Andersson' },
      subject: 'Din kupong',
      body: 'Hej Anna! Här är din kupong.',
      ...extra,
    };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await startBrevoFake({ callbackUrl: `${receiver.baseUrl}/webhooks/email-brevo/tok`, webhookToken: WEBHOOK_TOKEN, batched: true });
    replayFake = await startBrevoFake({ duplicateMode: 'replay' });
  });

  afterAll(async () => {
    await fake.close();
    await replayFake.close();
    await receiver.close();
  });

  it('posts the documented JSON to /v3/smtp/email with the api-key header and body idempotency', async () => {
    const before = fake.received.length;
    const msg = message({ sendId: 'send_shape', idempotencyKey: '6F1C3C2E-3B1E-4B8E-9E0E-4A1F6A0A9C11' });
    const result = await plugin.send(msg, ctx({ tags: ['coupon'] }));
    expect(result.status).toBe('SENT');
    expect(result.providerMessageId).toMatch(/^\d{12}\.\d{12}@smtp-relay\.mailin\.fr$/);
    expect(fake.received.length).toBe(before + 1);
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v3/smtp/email');
    expect(request.headers['api-key']).toBe(FAKE_BREVO_API_KEY);
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['accept']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      sender: { email: 'no-reply@shop.example', name: 'Shop' },
      to: [{ email: 'anna@example.se', name: 'Anna Andersson' }],
      subject: 'Din kupong',
      textContent: 'Hej Anna! Här är din kupong.',
      tags: ['coupon', 'send:send_shape'],
      headers: { idempotencyKey: '6f1c3c2e-3b1e-4b8e-9e0e-4a1f6a0a9c11', 'X-Mailin-custom': 'send_shape' },
    });
    // The id is stored without Brevo's angle brackets.
    expect(fake.emails.has(`<${result.providerMessageId}>`)).toBe(true);
  });

  it('leaves out the display name and sender name when there are none', async () => {
    const before = fake.received.length;
    await plugin.send(message({ to: { email: 'bo@example.se' } }), ctx({ senderName: undefined }));
    const body = JSON.parse(fake.received[before]!.body) as Record<string, unknown>;
    expect(body['to']).toEqual([{ email: 'bo@example.se' }]);
    expect(body['sender']).toEqual({ email: 'no-reply@shop.example' });
  });

  it('maps any idempotency key onto a stable UUID', () => {
    const derived = brevoIdempotencyKey('send_01HX-attempts');
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(brevoIdempotencyKey('send_01HX-attempts')).toBe(derived);
    expect(brevoIdempotencyKey('send_01HX-other')).not.toBe(derived);
  });

  it('a repeated key answered with duplicate_request resolves to the message Brevo already accepted', async () => {
    const msg = message();
    const first = await plugin.send(msg, ctx());
    const before = fake.received.length;
    const again = await plugin.send(msg, ctx());
    expect(again).toEqual(first);
    expect(fake.received.length).toBe(before + 1);
    expect([...fake.emails.values()].filter((e) => e.tags.includes(sendTag(msg.sendId)))).toHaveLength(1);
  });

  it('a duplicate not yet in the log is a retryable error that names no one', async () => {
    const msg = message();
    await plugin.send(msg, ctx());
    fake.hideFromLog = true;
    try {
      const err = await plugin.send(msg, ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ retryable: true, reason: 'duplicate', retryAfterMs: 60_000 });
      expect((err as Error).message).not.toContain('anna@example.se');
    } finally {
      fake.hideFromLog = false;
    }
  });

  it('also accepts a replayed 201 for a repeated key', async () => {
    const msg = message();
    const first = await plugin.send(msg, ctx({}, replayFake));
    const again = await plugin.send(msg, ctx({}, replayFake));
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(replayFake.emails.size).toBe(1);
  });

  it('refuses a recipient without an address before calling Brevo', async () => {
    const before = fake.received.length;
    await expect(plugin.send(message({ to: { name: 'Anna' } }), ctx())).rejects.toMatchObject({ retryable: false, reason: 'invalid_recipient' });
    await expect(plugin.send(message({ to: { email: 'not-an-address' } }), ctx())).rejects.toMatchObject({ reason: 'invalid_recipient' });
    await expect(plugin.send(message({ subject: null }), ctx())).rejects.toMatchObject({ retryable: false, reason: 'rejected' });
    expect(fake.received.length).toBe(before);
  });

  it("reports Brevo's validation error by its code only", async () => {
    const err = await plugin.send(message(), ctx({ senderEmail: 'sender@localhost.invalid-tld1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
    expect((err as Error).message).toBe('provider rejected the request (400): invalid_parameter');
  });

  it('a 429 with x-sib-ratelimit headers is retryable', async () => {
    fake.failNext('rate_limit');
    await expect(plugin.send(message(), ctx())).rejects.toMatchObject({ retryable: true, reason: 'rate_limited', status: 429 });
  });

  describe('webhooks', () => {
    const request = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${WEBHOOK_TOKEN}` }): WebhookRequest => ({
      method: 'POST',
      url: 'https://platform.example/webhooks/email-brevo/tok',
      headers: { 'content-type': 'application/json', ...headers },
      rawBody: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const withToken = () => ctx({ webhookToken: WEBHOOK_TOKEN });

    it('round trip: a batched delivered event with the bearer token becomes DELIVERED', async () => {
      const sent = await plugin.send(message(), ctx());
      const start = receiver.captured.length;
      await fake.emitCallback(sent.providerMessageId, 'delivered');
      const captured = receiver.captured[start]!;
      expect(captured.headers['authorization']).toBe(`Bearer ${WEBHOOK_TOKEN}`);
      const payload = JSON.parse(captured.rawBody) as Array<Record<string, unknown>>;
      expect(payload).toHaveLength(1);
      expect(payload[0]).toMatchObject({ event: 'delivered', 'message-id': `<${sent.providerMessageId}>`, 'X-Mailin-custom': expect.stringMatching(/^send_/) });
      const events = await plugin.parseWebhook!(captured, withToken());
      expect(events).toEqual([
        { kind: 'message', providerMessageId: sent.providerMessageId, status: 'DELIVERED', at: new Date(payload[0]!['ts_epoch'] as number), detail: 'Brevo event delivered' },
      ]);
    });

    it('refuses a call without or with a wrong bearer token when one is configured', async () => {
      const body = { event: 'delivered', 'message-id': '<1@x>', ts_event: 1714829864 };
      await expect(plugin.parseWebhook!(request(body, {}), withToken())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(request(body, { authorization: 'Bearer wrong-token-000000000' }), withToken())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(request(body), withToken())).resolves.toHaveLength(1);
    });

    it('maps event names, normalises brackets and ignores engagement, transient and unknown events', async () => {
      const base = { email: 'anna@example.se', id: 123456, date: '2024-05-04 15:37:44', ts: 1714829864, ts_event: 1714829864 };
      const batch = [
        { ...base, event: 'request', 'message-id': '<a@relay>' },
        { ...base, event: 'delivered', 'message-id': '<a@relay>', ts_epoch: 1714829864123 },
        { ...base, event: 'hard_bounce', 'message-id': 'b@relay', reason: '550 unknown user anna@example.se' },
        { ...base, event: 'blocked', 'message-id': '<c@relay>' },
        { ...base, event: 'invalid_email', 'message-id': '<d@relay>' },
        { ...base, event: 'error', 'message-id': '<e@relay>' },
        { ...base, event: 'soft_bounce', 'message-id': '<f@relay>' },
        { ...base, event: 'deferred', 'message-id': '<f@relay>' },
        { ...base, event: 'opened', 'message-id': '<a@relay>' },
        { ...base, event: 'unique_opened', 'message-id': '<a@relay>' },
        { ...base, event: 'click', 'message-id': '<a@relay>', link: 'https://shop.example' },
        { ...base, event: 'spam', 'message-id': '<a@relay>' },
        { ...base, event: 'unsubscribed', 'message-id': '<a@relay>' },
        { ...base, event: 'proxy_open', 'message-id': '<a@relay>' },
        { ...base, event: 'brand_new_event', 'message-id': '<a@relay>' },
        { ...base, event: 'delivered' },
        'not an object',
      ];
      const events = await plugin.parseWebhook!(request(batch, {}), ctx());
      expect(events.map((e) => [e.kind === 'message' ? e.providerMessageId : '', e.status])).toEqual([
        ['a@relay', 'DELIVERED'],
        ['b@relay', 'FAILED'],
        ['c@relay', 'FAILED'],
        ['d@relay', 'FAILED'],
        ['e@relay', 'FAILED'],
      ]);
      expect(events[0]!.at.getTime()).toBe(1714829864123);
      expect(events[1]!.at.getTime()).toBe(1714829864000);
      for (const event of events) expect(event.detail).not.toContain('@');
    });

    it('a single soft bounce is ignored; a body that is not JSON is an error', async () => {
      await expect(plugin.parseWebhook!(request({ event: 'soft_bounce', 'message-id': '<a@relay>' }), ctx())).resolves.toEqual([]);
      await expect(plugin.parseWebhook!(request('<html>'), ctx())).rejects.toThrow('not JSON');
    });

    it('the fake dates events in Paris time like Brevo', () => {
      expect(brevoDate(new Date('2024-05-04T13:37:44Z'))).toBe('2024-05-04 15:37:44');
      expect(brevoDate(new Date('2024-01-04T13:37:44Z'))).toBe('2024-01-04 14:37:44');
    });
  });

  it('erase deletes the transactional logs by address and by message id', async () => {
    const sent = await plugin.send(message({ to: { email: 'erase.me@example.se' } }), ctx());
    const result = await plugin.erase!({ providerMessageIds: [sent.providerMessageId], providerGiftIds: [], to: { email: 'erase.me@example.se' } }, ctx());
    expect(result.erased).toBe(true);
    expect(result.detail).not.toContain('erase.me');
    expect(fake.deletions.slice(-2)).toEqual(['erase.me@example.se', `<${sent.providerMessageId}>`]);
    expect([...fake.emails.values()].some((e) => e.email === 'erase.me@example.se')).toBe(false);
    await expect(plugin.erase!({ providerMessageIds: [], providerGiftIds: [], to: {} }, ctx())).resolves.toMatchObject({ erased: true });
    await expect(
      plugin.erase!({ providerMessageIds: [], providerGiftIds: [], to: { email: 'x@example.se' } }, ctx({ apiKey: 'xkeysib-wrong' })),
    ).rejects.toMatchObject({ reason: 'auth' });
  });

  it('normalises message ids and publishes a schema with secrets write-only', () => {
    expect(normaliseMessageId(' <abc@relay> ')).toBe('abc@relay');
    const json = z.toJSONSchema(configSchema) as { properties: Record<string, { writeOnly?: boolean }>; required: string[] };
    expect(json.properties['apiKey']!.writeOnly).toBe(true);
    expect(json.properties['webhookToken']!.writeOnly).toBe(true);
    expect(json.properties['senderEmail']!.writeOnly).toBeUndefined();
    expect(json.required).toEqual(expect.arrayContaining(['apiKey', 'senderEmail']));
    expect(configSchema.safeParse({ apiKey: 'k', senderEmail: 'not an address' }).success).toBe(false);
    expect(plugin.recipientFields).toEqual(['email', 'name']);
    expect(plugin.subprocessor).toMatchObject({ legalEntity: 'Sendinblue SAS (Brevo)', location: 'France/EU', transferMechanism: null });
  });
});
