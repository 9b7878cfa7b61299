import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, type OutboundMessage, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { bearerAuth } from '../../src/channels/kit/index.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { FAKE_SENDGRID_API_KEY, startSendGridFake, type FakeSendGrid } from './fake-server.ts';
import { EU_BASE_URL, configSchema, plugin, xMessageIdOf, type SendGridConfig } from './index.ts';

const config = (fake: { baseUrl: string; webhookPublicKey?: string }, extra: Partial<SendGridConfig> = {}): SendGridConfig => ({
  apiKey: FAKE_SENDGRID_API_KEY,
  fromEmail: 'no-reply@shop.example',
  fromName: 'Shop',
  webhookPublicKey: fake.webhookPublicKey,
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<SendGridConfig>({
  plugin,
  startFake: ({ callbackUrl }) => startSendGridFake({ callbackUrl }),
  validConfig: (fake) => config(fake as FakeSendGrid),
  badAuthConfig: (fake) => config(fake as FakeSendGrid, { apiKey: 'SG.revoked.key-000000000000' }),
  signsWebhooks: true,
});

describe('email-sendgrid specifics', () => {
  let fake: FakeSendGrid;
  let receiver: Receiver;
  const ctx = (extra: Partial<SendGridConfig> = {}): PluginContext<SendGridConfig> => pluginContext(config(fake, extra), `${receiver.baseUrl}/webhooks/email-sendgrid/tok`);
  let n = 0;
  const message = (extra: Partial<OutboundMessage> = {}): OutboundMessage => {
    n++;
    return {
      sendId: `send_${n}`,
      idempotencyKey: `idem_${n}`,
      to: { email: 'anna@example.se', name: 'Anna Andersson' },
      subject: 'Din kupong',
      body: 'Hej Anna! Här är din kupong.',
      ...extra,
    };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await startSendGridFake({ callbackUrl: `${receiver.baseUrl}/webhooks/email-sendgrid/tok` });
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('posts the v3 Mail Send body with a Bearer key and returns X-Message-Id', async () => {
    const before = fake.received.length;
    const result = await plugin.send(message({ sendId: 'send_shape' }), ctx({ categories: ['coupon'] }));
    expect(result.status).toBe('SENT');
    expect(result.providerMessageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fake.messages.has(result.providerMessageId)).toBe(true);
    expect(fake.received.length).toBe(before + 1);
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v3/mail/send');
    expect(request.headers['authorization']).toBe(bearerAuth(FAKE_SENDGRID_API_KEY));
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      personalizations: [{ to: [{ email: 'anna@example.se', name: 'Anna Andersson' }], custom_args: { send_id: 'send_shape' } }],
      from: { email: 'no-reply@shop.example', name: 'Shop' },
      subject: 'Din kupong',
      content: [{ type: 'text/plain', value: 'Hej Anna! Här är din kupong.' }],
      categories: ['coupon'],
    });
  });

  it('leaves out names and categories when there are none, and accepts a base URL with a trailing slash', async () => {
    const before = fake.received.length;
    await plugin.send(message({ to: { email: 'bo@example.se' } }), ctx({ fromName: undefined, baseUrl: `${fake.baseUrl}/` }));
    const body = JSON.parse(fake.received[before]!.body) as Record<string, unknown>;
    expect(body['personalizations']).toEqual([{ to: [{ email: 'bo@example.se' }], custom_args: { send_id: expect.any(String) } }]);
    expect(body['from']).toEqual({ email: 'no-reply@shop.example' });
    expect(body).not.toHaveProperty('categories');
    expect(fake.received[before]!.path).toBe('/v3/mail/send');
  });

  it('has the EU regional host ready for baseUrl', () => {
    expect(EU_BASE_URL).toBe('https://api.eu.sendgrid.com');
    expect(configSchema.safeParse({ apiKey: 'SG.x.y', fromEmail: 'a@shop.example', baseUrl: EU_BASE_URL }).success).toBe(true);
  });

  it('names the refused fields but never the address', async () => {
    const err = await plugin.send(message(), ctx({ fromEmail: 'no-reply@shop' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
    expect((err as Error).message).toBe('provider rejected the request (400): from.email');
  });

  it('refuses missing address, subject or body before calling SendGrid', async () => {
    const before = fake.received.length;
    await expect(plugin.send(message({ to: { name: 'Anna' } }), ctx())).rejects.toMatchObject({ reason: 'invalid_recipient', retryable: false });
    await expect(plugin.send(message({ subject: '' }), ctx())).rejects.toMatchObject({ reason: 'rejected' });
    await expect(plugin.send(message({ body: '' }), ctx())).rejects.toMatchObject({ reason: 'rejected' });
    expect(fake.received.length).toBe(before);
  });

  it('a 429 carries the retry delay', async () => {
    fake.failNext('rate_limit');
    await expect(plugin.send(message(), ctx())).rejects.toMatchObject({ retryable: true, reason: 'rate_limited', retryAfterMs: 1000 });
  });

  describe('signed Event Webhook', () => {
    const signed = (events: unknown, timestamp?: string): WebhookRequest => {
      const rawBody = JSON.stringify(events);
      const { signature, timestamp: ts } = fake.signBody(rawBody, timestamp);
      return {
        method: 'POST',
        url: 'https://platform.example/webhooks/email-sendgrid/tok',
        headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts },
        rawBody,
      };
    };

    it('round trip: a batch of processed + delivered maps back to the X-Message-Id', async () => {
      const sent = await plugin.send(message({ sendId: 'send_events' }), ctx());
      const start = receiver.captured.length;
      await fake.emitCallback(sent.providerMessageId, 'delivered');
      const request = receiver.captured[start]!;
      const batch = JSON.parse(request.rawBody) as Array<Record<string, unknown>>;
      expect(batch.map((e) => e['event'])).toEqual(['processed', 'delivered']);
      expect(batch[1]).toMatchObject({ send_id: 'send_events', sg_message_id: expect.stringMatching(new RegExp(`^${sent.providerMessageId}\\.filter`)) });
      const events = await plugin.parseWebhook!(request, ctx());
      expect(events).toEqual([
        { kind: 'message', providerMessageId: sent.providerMessageId, status: 'DELIVERED', at: new Date((batch[1]!['timestamp'] as number) * 1000), detail: 'SendGrid event delivered' },
      ]);
    });

    it('maps bounce, blocked and dropped to FAILED and ignores the rest', async () => {
      const e = (event: string, id: string, extra: Record<string, unknown> = {}) => ({
        email: 'anna@example.se',
        timestamp: 1714829864,
        event,
        sg_event_id: `ev-${event}`,
        sg_message_id: `${id}.filterdrecv-p3mdw1-1-2-0`,
        ...extra,
      });
      const events = await plugin.parseWebhook!(
        signed([
          e('processed', 'A'),
          e('deferred', 'A', { attempt: '1', response: '421 try later' }),
          e('delivered', 'A'),
          e('bounce', 'B', { type: 'bounce', reason: '550 anna@example.se unknown' }),
          e('bounce', 'C', { type: 'blocked' }),
          e('dropped', 'D', { reason: 'Bounced Address' }),
          e('open', 'A'),
          e('click', 'A', { url: 'https://shop.example' }),
          e('spamreport', 'A'),
          e('unsubscribe', 'A'),
          e('group_unsubscribe', 'A'),
          e('a_future_event', 'A'),
          { event: 'delivered', email: 'x@example.se' },
          42,
        ]),
        ctx(),
      );
      expect(events.map((ev) => [ev.kind === 'message' ? ev.providerMessageId : '', ev.status, ev.detail])).toEqual([
        ['A', 'DELIVERED', 'SendGrid event delivered'],
        ['B', 'FAILED', 'SendGrid event bounce (bounce)'],
        ['C', 'FAILED', 'SendGrid event bounce (blocked)'],
        ['D', 'FAILED', 'SendGrid event dropped'],
      ]);
      expect(events[0]!.at.toISOString()).toBe('2024-05-04T13:37:44.000Z');
    });

    it('refuses unsigned, tampered, re-timestamped or foreign-key callbacks', async () => {
      const good = signed([{ event: 'delivered', sg_message_id: 'A.filter1', timestamp: 1 }]);
      await expect(plugin.parseWebhook!(good, ctx())).resolves.toHaveLength(1);
      const { ['x-twilio-email-event-webhook-signature']: _sig, ...unsigned } = good.headers;
      await expect(plugin.parseWebhook!({ ...good, headers: unsigned }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!({ ...good, rawBody: good.rawBody.replace('delivered', 'bounce') }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      const shifted = { ...good, headers: { ...good.headers, 'x-twilio-email-event-webhook-timestamp': String(Number(good.headers['x-twilio-email-event-webhook-timestamp']) + 1) } };
      await expect(plugin.parseWebhook!(shifted, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!({ ...good, headers: { ...good.headers, 'x-twilio-email-event-webhook-signature': 'bm90IGEgc2lnbmF0dXJl' } }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      await expect(plugin.parseWebhook!(good, ctx({ webhookPublicKey: other }))).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(good, ctx({ webhookPublicKey: undefined }))).rejects.toBeInstanceOf(WebhookAuthError);
    });

    it('accepts the verification key as PEM too', async () => {
      const pem = `-----BEGIN PUBLIC KEY-----\n${fake.webhookPublicKey.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
      const request = signed([{ event: 'dropped', sg_message_id: 'Z.recvd-1', timestamp: 1714829864 }]);
      await expect(plugin.parseWebhook!(request, ctx({ webhookPublicKey: pem }))).resolves.toMatchObject([{ providerMessageId: 'Z', status: 'FAILED' }]);
    });
  });

  it('derives the X-Message-Id from sg_message_id', () => {
    expect(xMessageIdOf('XBg2anf2TqCy6WXKQFhieQ.filter0905p1mdw1-4434-59E0C6FF-3.0')).toBe('XBg2anf2TqCy6WXKQFhieQ');
    expect(xMessageIdOf('14c5d75ce93.dfd.64b469.unittest0001.16648.5515E0B88.0.filterdrecv-1')).toBe('14c5d75ce93.dfd.64b469.unittest0001.16648.5515E0B88.0');
    expect(xMessageIdOf('abc.recvd-5f7d8-1')).toBe('abc');
    expect(xMessageIdOf('plainid')).toBe('plainid');
  });

  it('validates the verification key and marks the API key write-only', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(configSchema.safeParse({ apiKey: 'SG.x.y', fromEmail: 'a@shop.example', webhookPublicKey: rsa }).success).toBe(false);
    expect(configSchema.safeParse({ apiKey: 'SG.x.y', fromEmail: 'a@shop.example', webhookPublicKey: 'garbage' }).success).toBe(false);
    const json = z.toJSONSchema(configSchema) as { properties: Record<string, { writeOnly?: boolean }> };
    expect(json.properties['apiKey']!.writeOnly).toBe(true);
    expect(json.properties['webhookPublicKey']!.writeOnly).toBeUndefined();
    expect(plugin.subprocessor).toMatchObject({ legalEntity: 'Twilio Inc.', location: 'US', transferMechanism: 'SCCs / EU-US Data Privacy Framework' });
  });
});
