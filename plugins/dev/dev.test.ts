import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ProviderError, type WebhookRequest } from '../../src/channels/contract.ts';
import { pickRecipientFields } from '../../src/channels/recipient-fields.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startFakeServer } from '../../test/kit/fake-http.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { DevOutbox, createDevPlugins, devOutbox } from './index.ts';

describe('dev plugins (local catcher)', () => {
  let receiver: Receiver;
  const plugins = createDevPlugins({ deliveryDelayMs: 10, redeemDelayMs: 20 });
  const [sms, email, push, coupon] = plugins;
  const everyone = { name: 'Ada Lovelace', phone: '+46701234567', email: 'ada@example.com', locale: 'en-GB', pushTokens: ['token-1'] };

  const callbackUrl = () => `${receiver.baseUrl}/webhooks/dev/tok`;
  const ctx = () => pluginContext({}, callbackUrl());
  /** Nothing listens there: the catcher's callback fails. */
  const unreachable = pluginContext({}, 'http://127.0.0.1:9/closed');

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver.close();
  });

  beforeEach(() => devOutbox.clear());
  afterEach(() => vi.restoreAllMocks());

  it('offers one plugin per channel with local-catcher subprocessor data', () => {
    expect(plugins.map((p) => [p.id, p.channel])).toEqual([
      ['dev-sms', 'SMS'],
      ['dev-email', 'EMAIL'],
      ['dev-push', 'PUSH'],
      ['dev-coupon', 'COUPON'],
    ]);
    for (const plugin of plugins) {
      expect(plugin.subprocessor).toMatchObject({
        name: 'Local development catcher',
        legalEntity: 'none (runs inside this service)',
        location: 'This service',
        transferMechanism: null,
      });
      expect(plugin.subprocessor.dataCategories.length).toBeGreaterThan(0);
      expect(z.toJSONSchema(plugin.configSchema)).toMatchObject({ type: 'object' });
    }
  });

  for (const [plugin, field] of [
    [sms, 'phone'],
    [email, 'email'],
    [push, 'pushTokens'],
  ] as const) {
    const { id } = plugin;
    it(`${id}: send -> outbox -> delivered callback -> parseWebhook`, async () => {
      const to = pickRecipientFields(everyone, plugin.recipientFields);
      const callback = receiver.next();
      const result = await plugin.send({ sendId: `send-${id}`, idempotencyKey: 'k', to, subject: 'Hi', body: 'Hello there' }, ctx());
      expect(result).toEqual({ providerMessageId: expect.stringMatching(new RegExp(`^${id}-`)), status: 'SENT' });

      const [entry] = devOutbox.list();
      expect(entry).toMatchObject({ pluginId: id, sendId: `send-${id}`, providerId: result.providerMessageId, bodyLength: 11 });
      expect(entry!.fields).toContain(field);
      expect(entry!.fields.every((f) => plugin.recipientFields.includes(f))).toBe(true);
      expect(JSON.stringify(entry)).not.toContain('Hello there');

      const request = await callback;
      expect(request.method).toBe('POST');
      expect(request.url).toBe(callbackUrl());
      expect(request.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request.rawBody)).toEqual({ id: result.providerMessageId, status: 'delivered' });
      expect(await plugin.parseWebhook!(request, ctx())).toEqual([
        { kind: 'message', providerMessageId: result.providerMessageId, status: 'DELIVERED', at: expect.any(Date), detail: 'dev catcher: delivered' },
      ]);
    });
  }

  it('dev-coupon: issue returns a code and url, then a redeemed callback', async () => {
    const callback = receiver.next();
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const gift = await coupon.issue({ sendId: 'send-gift', idempotencyKey: 'k', offerId: 'offer-1', expiresAt, to: pickRecipientFields(everyone, coupon.recipientFields) }, ctx());
    expect(gift.providerGiftId).toMatch(/^dev-coupon-/);
    expect(gift.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(gift.url).toBe(`https://dev-coupon.invalid/g/${gift.code}`);
    expect(gift.expiresAt).toEqual(expiresAt);
    expect(devOutbox.list()).toMatchObject([{ pluginId: 'dev-coupon', sendId: 'send-gift', providerId: gift.providerGiftId, fields: [] }]);

    const request = await callback;
    expect(JSON.parse(request.rawBody)).toEqual({ id: gift.providerGiftId, status: 'redeemed' });
    expect(await coupon.parseWebhook!(request, ctx())).toEqual([
      { kind: 'gift', providerGiftId: gift.providerGiftId, status: 'REDEEMED', at: expect.any(Date), detail: 'dev catcher: redeemed' },
    ]);
  });

  it('refuses a recipient without the channel address', async () => {
    for (const plugin of [sms, email, push]) {
      const err = await plugin.send({ sendId: 's', idempotencyKey: 'k', to: {}, body: 'x' }, ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ retryable: false, reason: 'invalid_recipient' });
    }
    expect(devOutbox.list()).toEqual([]);
  });

  it('parseWebhook ignores garbage, unknown statuses and other plugins\' ids', async () => {
    const req = (rawBody: string): WebhookRequest => ({ method: 'POST', url: `${receiver.baseUrl}/x`, headers: {}, rawBody });
    expect(await sms.parseWebhook!(req('<html>'), ctx())).toEqual([]);
    expect(await sms.parseWebhook!(req('{"id":"dev-sms-1","status":"weird"}'), ctx())).toEqual([]);
    expect(await sms.parseWebhook!(req('{"id":"dev-email-1","status":"delivered"}'), ctx())).toEqual([]);
    expect(await sms.parseWebhook!(req('{"id":"dev-sms-1","status":"redeemed"}'), ctx())).toEqual([]);
    expect(await sms.parseWebhook!(req('{"id":"dev-sms-1","status":"failed"}'), ctx())).toMatchObject([{ status: 'FAILED' }]);
    expect(await coupon.parseWebhook!(req('{"id":"dev-coupon-1","status":"delivered"}'), ctx())).toEqual([]);
  });

  it('uses the default delays (200 ms, 1000 ms) on unref()d timers', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const [defaultSms, , , defaultCoupon] = createDevPlugins();
    await defaultSms.send({ sendId: 's', idempotencyKey: 'k', to: { phone: '+46701234567' }, body: 'x' }, unreachable);
    await defaultCoupon.issue({ sendId: 'g', idempotencyKey: 'k', offerId: 'o', to: {} }, unreachable);
    expect(spy.mock.calls.map((call) => call[1])).toEqual([200, 1000]);
    for (const result of spy.mock.results) {
      expect((result.value as NodeJS.Timeout).hasRef()).toBe(false);
      clearTimeout(result.value as NodeJS.Timeout);
    }
  });

  it('posts a failed callback again with backoff, as a real provider does, until it is taken', async () => {
    const answers = [500, 503, 200];
    const posts: string[] = [];
    const flaky = await startFakeServer(({ body }, res) => {
      posts.push(body);
      res.writeHead(answers[posts.length - 1] ?? 200).end();
    });
    try {
      const [retrying] = createDevPlugins({ deliveryDelayMs: 0, callbackRetryMs: 1 });
      const { providerMessageId } = await retrying.send({ sendId: 's', idempotencyKey: 'k', to: { phone: '+46701234567' }, body: 'x' }, pluginContext({}, `${flaky.baseUrl}/cb`));
      await vi.waitFor(() => expect(posts).toHaveLength(3));
      expect(posts.map((p) => JSON.parse(p))).toEqual(Array(3).fill({ id: providerMessageId, status: 'delivered' }));
    } finally {
      await flaky.close();
    }
  });

  it('gives up quietly after a bounded number of attempts when nothing answers', async () => {
    const [immediate] = createDevPlugins({ deliveryDelayMs: 0, callbackRetryMs: 1 });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await immediate.send({ sendId: 's', idempotencyKey: 'k', to: { phone: '+46701234567' }, body: 'x' }, unreachable);
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(8));
    for (const result of fetchSpy.mock.results) await expect(result.value).rejects.toThrow();
    // give the rejection handlers a tick; an unhandled rejection would fail the run
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('erase drops the outbox entries of the subject', async () => {
    const a = await sms.send({ sendId: 'a', idempotencyKey: 'k', to: { phone: '+46701234567' }, body: 'x' }, unreachable);
    await sms.send({ sendId: 'b', idempotencyKey: 'k', to: { phone: '+46701234568' }, body: 'y' }, unreachable);
    expect(await sms.erase!({ providerMessageIds: [a.providerMessageId], providerGiftIds: [], to: {} }, ctx())).toEqual({ erased: true, detail: 'removed 1 entry from the local outbox' });
    expect(devOutbox.list().map((e) => e.sendId)).toEqual(['b']);
  });

  it('the outbox is a bounded ring buffer keeping the newest entries', () => {
    const outbox = new DevOutbox(3);
    for (let i = 0; i < 5; i++) outbox.record({ pluginId: 'dev-sms', sendId: `s${i}`, providerId: `p${i}`, fields: ['phone'], bodyLength: i, at: new Date() });
    expect(outbox.list().map((e) => e.sendId)).toEqual(['s2', 's3', 's4']);
    expect(devOutbox.capacity).toBeGreaterThan(0);
  });
});
