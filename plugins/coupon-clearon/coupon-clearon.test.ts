import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, type GiftRequest, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { bearerAuth } from '../../src/channels/kit/index.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { CLEARON_TEST_CAMPAIGNS, FAKE_CLEARON_API_KEY, FAKE_CLEARON_WEBHOOK_SECRET, startClearOnFake, type FakeClearOn } from './fake-server.ts';
import { cancelCoupon, configSchema, getCoupon, plugin, verifyClearOnSignature, type ClearOnConfig } from './index.ts';

const config = (fake: { baseUrl: string }, extra: Partial<ClearOnConfig> = {}): ClearOnConfig => ({
  apiKey: FAKE_CLEARON_API_KEY,
  webhookSecret: FAKE_CLEARON_WEBHOOK_SECRET,
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<ClearOnConfig>({
  plugin,
  startFake: ({ callbackUrl }) => startClearOnFake({ callbackUrl }),
  validConfig: (fake) => config(fake),
  badAuthConfig: (fake) => config(fake, { apiKey: 'clearon-revoked-key-0000' }),
  signsWebhooks: true,
});

describe('coupon-clearon specifics', () => {
  let fake: FakeClearOn;
  let receiver: Receiver;
  const ctx = (extra: Partial<ClearOnConfig> = {}): PluginContext<ClearOnConfig> => pluginContext(config(fake, extra), `${receiver.baseUrl}/webhooks/coupon-clearon/tok`);
  let n = 0;
  const gift = (extra: Partial<GiftRequest> = {}): GiftRequest => {
    n++;
    return {
      sendId: `send_${n}`,
      idempotencyKey: `idem_${n}`,
      offerId: 'cmp_42',
      expiresAt: new Date('2099-12-31T22:59:59.000Z'),
      to: { phone: '+46701234567', email: 'anna@example.se' },
      ...extra,
    };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await startClearOnFake({ callbackUrl: `${receiver.baseUrl}/webhooks/coupon-clearon/tok` });
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('says in its header that the contract is a proposal, not ClearOn\'s API', () => {
    for (const file of ['index.ts', 'fake-server.ts']) {
      const head = readFileSync(new URL(file, import.meta.url), 'utf8').slice(0, 600);
      expect(head).toMatch(/PROPOSED|PROPOSAL/);
      expect(head).toContain("not ClearOn's");
    }
  });

  it('issues with Bearer + Idempotency-Key and sends no recipient when we deliver the code ourselves', async () => {
    const before = fake.received.length;
    const result = await plugin.issue(gift({ idempotencyKey: 'idem_shape' }), ctx());
    expect(result.providerGiftId).toMatch(/^cpn_[0-9a-f]{12}$/);
    expect(result.code).toMatch(/^735\d{10}$/);
    expect(result.url).toBe(`https://coupon.example/r/${result.providerGiftId.slice(4)}`);
    expect(result.expiresAt).toEqual(new Date('2099-12-31T22:59:59Z'));
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/coupons');
    expect(request.headers['authorization']).toBe(bearerAuth(FAKE_CLEARON_API_KEY));
    expect(request.headers['idempotency-key']).toBe('idem_shape');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ campaign_id: 'cmp_42', distribution: 'none', expires_at: '2099-12-31T22:59:59Z', external_ref: 'idem_shape' });
    expect(request.body).not.toContain('46701234567');
    expect(request.body).not.toContain('anna@example.se');
  });

  it('hands ClearOn only the address it distributes to', async () => {
    const before = fake.received.length;
    await plugin.issue(gift(), ctx({ distribution: 'sms' }));
    await plugin.issue(gift({ expiresAt: null }), ctx({ distribution: 'email' }));
    const [sms, email] = fake.received.slice(before).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(sms).toMatchObject({ recipient: { msisdn: '+46701234567' }, distribution: 'sms' });
    expect(sms!['recipient']).toEqual({ msisdn: '+46701234567' });
    expect(email!['recipient']).toEqual({ email: 'anna@example.se' });
    expect(email).not.toHaveProperty('expires_at');
  });

  it('refuses a missing address for ClearOn distribution before calling', async () => {
    const before = fake.received.length;
    await expect(plugin.issue(gift({ to: { email: 'anna@example.se' } }), ctx({ distribution: 'sms' }))).rejects.toMatchObject({ reason: 'invalid_recipient', retryable: false });
    await expect(plugin.issue(gift({ to: { phone: '+46701234567' } }), ctx({ distribution: 'email' }))).rejects.toMatchObject({ reason: 'invalid_recipient' });
    expect(fake.received.length).toBe(before);
  });

  it('a repeated idempotency key returns the same coupon', async () => {
    const request = gift();
    const first = await plugin.issue(request, ctx());
    const size = fake.coupons.size;
    const again = await plugin.issue(request, ctx());
    expect(again).toEqual(first);
    expect(fake.coupons.size).toBe(size);
    // The same key with another body is refused for good.
    await expect(plugin.issue({ ...request, offerId: 'cmp_43' }, ctx())).rejects.toMatchObject({ retryable: false, reason: 'rejected', status: 409 });
  });

  it.each([
    [CLEARON_TEST_CAMPAIGNS.exhausted, 409, 'campaign_exhausted'],
    [CLEARON_TEST_CAMPAIGNS.inactive, 409, 'campaign_inactive'],
    [CLEARON_TEST_CAMPAIGNS.unknown, 400, 'invalid_campaign'],
  ])('campaign %s is a permanent refusal', async (offerId, status, code) => {
    const err = await plugin.issue(gift({ offerId }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status });
    expect((err as Error).message).toContain(code);
  });

  it("ClearOn's invalid_recipient keeps its reason and names no one", async () => {
    const err = await plugin.issue(gift({ to: { phone: '+4670' } }), ctx({ distribution: 'sms' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'invalid_recipient', retryable: false });
    expect((err as Error).message).not.toContain('4670');
    await expect(plugin.issue(gift({ expiresAt: new Date(Date.now() - 1000) }), ctx())).rejects.toMatchObject({ reason: 'rejected', status: 400 });
  });

  it('GET and cancel follow the coupon state machine', async () => {
    const issued = await plugin.issue(gift(), ctx());
    await expect(getCoupon(ctx(), issued.providerGiftId)).resolves.toMatchObject({ id: issued.providerGiftId, status: 'issued', campaignId: 'cmp_42', codeType: 'ean13' });
    await expect(cancelCoupon(ctx(), issued.providerGiftId)).resolves.toMatchObject({ status: 'cancelled' });
    await expect(getCoupon(ctx(), issued.providerGiftId)).resolves.toMatchObject({ status: 'cancelled' });

    const redeemed = await plugin.issue(gift(), ctx());
    await fake.emitEvent(redeemed.providerGiftId, 'coupon.redeemed');
    const coupon = await getCoupon(ctx(), redeemed.providerGiftId);
    expect(coupon.status).toBe('redeemed');
    expect(coupon.redeemedAt).toBeInstanceOf(Date);
    await expect(cancelCoupon(ctx(), redeemed.providerGiftId)).rejects.toMatchObject({ retryable: false, reason: 'rejected', status: 409 });
    await expect(getCoupon(ctx(), 'cpn_missing')).rejects.toMatchObject({ reason: 'rejected', status: 404 });
    await expect(getCoupon(ctx({ apiKey: 'wrong-key-0000' }), redeemed.providerGiftId)).rejects.toMatchObject({ reason: 'auth' });
  });

  describe('signed webhooks', () => {
    const signedRequest = (body: unknown, timestamp?: number): WebhookRequest => {
      const rawBody = JSON.stringify(body);
      return { method: 'POST', url: 'https://platform.example/webhooks/coupon-clearon/tok', headers: { 'content-type': 'application/json', 'x-signature': fake.sign(rawBody, timestamp) }, rawBody };
    };
    const event = (type: string, id = 'cpn_abc') => ({ event_id: `evt_${type}`, type, occurred_at: '2025-06-01T08:00:00Z', coupon: { id, status: 'redeemed', recipient: { msisdn: '+46701234567' } } });

    it.each([
      ['coupon.redeemed', 'REDEEMED'],
      ['coupon.expired', 'EXPIRED'],
      ['coupon.cancelled', 'CANCELED'],
    ])('round trip: %s becomes %s', async (type, status) => {
      const issued = await plugin.issue(gift(), ctx());
      const start = receiver.captured.length;
      await fake.emitEvent(issued.providerGiftId, type as 'coupon.redeemed');
      const request = receiver.captured[start]!;
      expect(request.headers['x-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const events = await plugin.parseWebhook!(request, ctx());
      expect(events).toEqual([{ kind: 'gift', providerGiftId: issued.providerGiftId, status, at: expect.any(Date), detail: `ClearOn ${type}` }]);
    });

    it('ignores unknown types and tolerates a batch', async () => {
      const events = await plugin.parseWebhook!(signedRequest([event('coupon.issued'), event('coupon.redeemed', 'cpn_1'), { type: 'coupon.expired' }, event('coupon.expired', 'cpn_2')]), ctx());
      expect(events.map((e) => [e.kind === 'gift' ? e.providerGiftId : '', e.status])).toEqual([
        ['cpn_1', 'REDEEMED'],
        ['cpn_2', 'EXPIRED'],
      ]);
      expect(events[0]!.at.toISOString()).toBe('2025-06-01T08:00:00.000Z');
      await expect(plugin.parseWebhook!(signedRequest(event('something.else')), ctx())).resolves.toEqual([]);
    });

    it('refuses stale, future, unsigned, tampered and wrongly keyed callbacks', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expect(plugin.parseWebhook!(signedRequest(event('coupon.redeemed'), now - 290), ctx())).resolves.toHaveLength(1);
      await expect(plugin.parseWebhook!(signedRequest(event('coupon.redeemed'), now - 301), ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(signedRequest(event('coupon.redeemed'), now + 301), ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      const good = signedRequest(event('coupon.redeemed'));
      const { ['x-signature']: _sig, ...unsigned } = good.headers;
      await expect(plugin.parseWebhook!({ ...good, headers: unsigned }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!({ ...good, rawBody: good.rawBody.replace('cpn_abc', 'cpn_abd') }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(good, ctx({ webhookSecret: 'another-secret-of-16-chars' }))).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!(good, ctx({ webhookSecret: undefined }))).rejects.toBeInstanceOf(WebhookAuthError);
      await expect(plugin.parseWebhook!({ ...good, headers: { 'x-signature': 'v1=abc' } }, ctx())).rejects.toBeInstanceOf(WebhookAuthError);
    });

    it('accepts any of several v1 signatures (secret rotation)', () => {
      const body = '{"type":"coupon.redeemed"}';
      const t = Math.floor(Date.now() / 1000);
      const current = fake.sign(body, t).split(',')[1]!;
      expect(() => verifyClearOnSignature(`t=${t},v1=${'0'.repeat(64)},${current}`, body, FAKE_CLEARON_WEBHOOK_SECRET)).not.toThrow();
      expect(() => verifyClearOnSignature(`t=${t},v1=${'0'.repeat(64)}`, body, FAKE_CLEARON_WEBHOOK_SECRET)).toThrow(WebhookAuthError);
    });
  });

  it('requires a base URL and marks credentials write-only', () => {
    expect(configSchema.safeParse({ apiKey: 'k' }).success).toBe(false);
    const json = z.toJSONSchema(configSchema) as { properties: Record<string, { writeOnly?: boolean }>; required: string[] };
    expect(json.properties['apiKey']!.writeOnly).toBe(true);
    expect(json.properties['webhookSecret']!.writeOnly).toBe(true);
    expect(json.required).toEqual(expect.arrayContaining(['apiKey', 'baseUrl']));
    expect(plugin.subprocessor).toMatchObject({ legalEntity: 'ClearOn AB', location: 'Sweden', transferMechanism: null });
    expect(plugin.recipientFields).toEqual(['phone', 'email']);
  });
});
