import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { basicAuth } from '../../src/channels/kit/index.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from './fake-server.ts';
import { configSchema, parseElksTime, plugin, type Elks46Config } from './index.ts';

const config = (fake: { baseUrl: string }, extra: Partial<Elks46Config> = {}): Elks46Config => ({
  username: FAKE_46ELKS_USERNAME,
  password: FAKE_46ELKS_PASSWORD,
  from: 'ElkCo',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<Elks46Config>({
  plugin,
  startFake: ({ callbackUrl }) => start46elksFake({ callbackUrl }),
  validConfig: (fake) => config(fake),
  badAuthConfig: (fake) => config(fake, { password: 'not-the-password' }),
  signsWebhooks: false,
});

describe('sms-46elks specifics', () => {
  let fake: Fake46elks;
  let receiver: Receiver;
  const callbackUrl = () => `${receiver.baseUrl}/webhooks/sms-46elks/tok123`;
  const ctx = (extra: Partial<Elks46Config> = {}): PluginContext<Elks46Config> => pluginContext(config(fake, extra), callbackUrl());
  const message = (phone: string | null = '+46701234567') => ({ sendId: 'send_1', idempotencyKey: 'idem_1', to: { phone }, body: 'Hej! Din kod är 1234' });

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await start46elksFake();
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('posts a form-encoded request with Basic auth, E.164 to and whendelivered = ctx.callbackUrl', async () => {
    const before = fake.received.length;
    const result = await plugin.send(message(), ctx());
    expect(result.status).toBe('SENT');
    expect(result.providerMessageId).toMatch(/^s[0-9a-f]{32}$/);
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/a1/sms');
    expect(request.headers['authorization']).toBe(basicAuth(FAKE_46ELKS_USERNAME, FAKE_46ELKS_PASSWORD));
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      from: 'ElkCo',
      to: '+46701234567',
      message: 'Hej! Din kod är 1234',
      whendelivered: callbackUrl(),
      dontlog: 'message',
    });
    // dontlog keeps the text out of the provider's history
    expect(fake.messages.get(result.providerMessageId)?.message).toBeUndefined();
  });

  it('keepMessageText and flash change the form as 46elks documents', async () => {
    const before = fake.received.length;
    await plugin.send(message(), ctx({ keepMessageText: true, flash: true, from: '+46766861069' }));
    const form = new URLSearchParams(fake.received[before]!.body);
    expect(form.has('dontlog')).toBe(false);
    expect(form.get('flashsms')).toBe('yes');
    expect(form.get('from')).toBe('+46766861069');
  });

  it('refuses a missing or non-E.164 number before calling the provider', async () => {
    const before = fake.received.length;
    for (const phone of [null, '0701234567', '+46 70 123 45 67']) {
      const err = await plugin.send(message(phone), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).reason).toBe('invalid_recipient');
      expect((err as ProviderError).retryable).toBe(false);
      if (phone) expect((err as ProviderError).message).not.toContain(phone);
    }
    expect(fake.received.length).toBe(before);
  });

  it('a plain-text 400 from 46elks is a permanent rejection', async () => {
    const err = await plugin.send(message(), ctx({ from: '1nvalid' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
    expect((err as Error).message).toContain('Invalid from');
  });

  it('429 carries Retry-After as retryAfterMs', async () => {
    fake.failNext('rate_limit');
    const err = await plugin.send(message(), ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, reason: 'rate_limited', retryAfterMs: 2000 });
  });

  it('turns the sent and delivered reports into SENT then DELIVERED with the 46elks UTC time', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'delivered');
    const mine = receiver.captured.slice(start);
    expect(mine).toHaveLength(2);
    expect(mine[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const events = (await Promise.all(mine.map((r) => plugin.parseWebhook!(r, ctx())))).flat();
    expect(events.map((e) => e.kind === 'message' && [e.providerMessageId, e.status])).toEqual([
      [providerMessageId, 'SENT'],
      [providerMessageId, 'DELIVERED'],
    ]);
    const delivered = fake.messages.get(providerMessageId)!.delivered!;
    expect(events[1]!.at.toISOString()).toBe(`${delivered.slice(0, 23)}Z`);
  });

  it('parses 46elks timestamps as UTC and ignores inbound SMS and unknown statuses', async () => {
    expect(parseElksTime('2018-07-13T13:57:23.741000')?.getTime()).toBe(Date.UTC(2018, 6, 13, 13, 57, 23, 741));
    expect(parseElksTime('2017-03-14T09:52:10Z')?.getTime()).toBe(Date.UTC(2017, 2, 14, 9, 52, 10));
    expect(parseElksTime('garbage')).toBeUndefined();
    const request = (rawBody: string): WebhookRequest => ({ method: 'POST', url: 'https://app.example/webhooks/sms-46elks/t', headers: {}, rawBody });
    expect(await plugin.parseWebhook!(request('id=s1&direction=incoming&from=%2B46700000000&to=%2B46766861069&message=Hi'), ctx())).toEqual([]);
    expect(await plugin.parseWebhook!(request('id=s1&status=weird'), ctx())).toEqual([]);
    expect(await plugin.parseWebhook!(request('status=delivered'), ctx())).toEqual([]);
  });

  it('erase deletes the messages at 46elks and tolerates ones already gone', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    expect(fake.messages.has(providerMessageId)).toBe(true);
    const result = await plugin.erase!({ providerMessageIds: [providerMessageId, 's00000000000000000000000000000000'], providerGiftIds: [], to: { phone: '+46701234567' } }, ctx());
    expect(result.erased).toBe(true);
    expect(result.detail).toBe('deleted 1 message(s) at 46elks, 1 already gone');
    expect(fake.messages.has(providerMessageId)).toBe(false);
    const denied = await plugin.erase!({ providerMessageIds: ['s1'], providerGiftIds: [], to: {} }, ctx({ password: 'wrong' })).catch((e: unknown) => e);
    expect(denied).toMatchObject({ retryable: false, reason: 'auth' });
  });

  it('config schema checks the sender format and requires the password', () => {
    const base = { username: FAKE_46ELKS_USERNAME, password: 'p', from: 'ElkCo' };
    expect(configSchema.safeParse(base).success).toBe(true);
    expect(configSchema.safeParse({ ...base, from: '+46766861069' }).success).toBe(true);
    expect(configSchema.safeParse({ ...base, from: '1Elk' }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, from: 'ThisIsTooLong' }).success).toBe(false);
    expect(configSchema.safeParse({ username: 'u', from: 'ElkCo' }).success).toBe(false);
    expect(configSchema.safeParse({ ...base, baseUrl: 'not a url' }).success).toBe(false);
  });
});
