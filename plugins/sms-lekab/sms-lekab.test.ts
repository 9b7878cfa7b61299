import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type PluginContext, type WebhookRequest } from '../../src/channels/contract.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { startReceiver, type Receiver } from '../../test/kit/receiver.ts';
import { FAKE_LEKAB_PASSWORD, FAKE_LEKAB_USERNAME, lekabTimestamp, startLekabFake, type FakeLekab } from './fake-server.ts';
import { LEKAB_UNVERIFIED, configSchema, parseLocalTime, plugin, toLekabNumber, type LekabConfig } from './index.ts';

const config = (fake: { baseUrl: string }, extra: Partial<LekabConfig> = {}): LekabConfig => ({
  username: FAKE_LEKAB_USERNAME,
  password: FAKE_LEKAB_PASSWORD,
  from: 'BIGCO',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<LekabConfig>({
  plugin,
  startFake: ({ callbackUrl }) => startLekabFake({ callbackUrl }),
  validConfig: (fake) => config(fake),
  badAuthConfig: (fake) => config(fake, { password: 'not-the-password' }),
  signsWebhooks: false,
});

describe('sms-lekab specifics', () => {
  let fake: FakeLekab;
  let receiver: Receiver;
  const ctx = (extra: Partial<LekabConfig> = {}): PluginContext<LekabConfig> => pluginContext(config(fake, extra), 'https://app.example/webhooks/sms-lekab/unused-per-message');
  const message = (phone = '+46701234567') => ({ sendId: 'send_1', idempotencyKey: 'idem_1', to: { phone }, body: 'Hej! Koden är 1234' });
  const dr = (url: string, init: Partial<WebhookRequest> = {}): WebhookRequest => ({ method: 'GET', url, headers: {}, rawBody: '', ...init });

  beforeAll(async () => {
    receiver = await startReceiver();
    fake = await startLekabFake({ callbackUrl: `${receiver.baseUrl}/webhooks/sms-lekab/tok789` });
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('posts JSON with the credentials in the body and the number without +', async () => {
    const before = fake.received.length;
    const result = await plugin.send(message(), ctx());
    expect(result.status).toBe('SENT');
    expect(result.providerMessageId).toMatch(/^\d+$/);
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/restsms/lekabrest/send');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['authorization']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({
      username: FAKE_LEKAB_USERNAME,
      password: FAKE_LEKAB_PASSWORD,
      from: 'BIGCO',
      to: ['46701234567'],
      message: 'Hej! Koden är 1234',
    });
    expect(fake.messages.get(result.providerMessageId)?.to).toBe('46701234567');
  });

  it('keeps every unverified name in one object', () => {
    expect(Object.keys(LEKAB_UNVERIFIED).sort()).toEqual(
      [
        'acceptedKey',
        'deliveredStatusMessages',
        'deliveredStatuses',
        'errorMessageKey',
        'failedStatusMessages',
        'failedStatuses',
        'messageIdKey',
        'rejectedKey',
        'sentStatuses',
        'stripPlusFromRecipient',
      ].sort(),
    );
    expect(toLekabNumber('+358401234567')).toBe('358401234567');
  });

  it('a recipient Lekab lists as rejected is a permanent invalid_recipient', async () => {
    const err = await plugin.send(message('+1234567'), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'invalid_recipient', status: 200 });
    expect((err as Error).message).not.toContain('1234567');
  });

  it('a 400 JSON error is a permanent rejection with the provider wording', async () => {
    const err = await plugin.send(message(), ctx({ from: '' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
    expect((err as Error).message).toContain('Missing mandatory parameter: from');
  });

  it('429 is retryable with Retry-After', async () => {
    fake.failNext('rate_limit');
    const err = await plugin.send(message(), ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, reason: 'rate_limited', retryAfterMs: 3000 });
  });

  it('turns the account-level GET delivery report into DELIVERED at the right instant', async () => {
    const before = Date.now();
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'delivered');
    const callback = receiver.captured[start]!;
    expect(callback.method).toBe('GET');
    expect(new URL(callback.url).searchParams.get('to')).toBe('46701234567');
    const [event] = await plugin.parseWebhook!(callback, ctx());
    expect(event).toMatchObject({ kind: 'message', providerMessageId, status: 'DELIVERED', detail: 'Lekab status Delivered (DELIVRD)' });
    // Swedish local time without offset, converted back: within the same second range as now
    expect(event!.at.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(event!.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a failed report becomes FAILED', async () => {
    const { providerMessageId } = await plugin.send(message(), ctx());
    const start = receiver.captured.length;
    await fake.emitCallback(providerMessageId, 'failed');
    expect(await plugin.parseWebhook!(receiver.captured[start]!, ctx())).toMatchObject([{ providerMessageId, status: 'FAILED' }]);
  });

  it('reads CET/CEST timestamps, honouring a configured time zone', async () => {
    expect(parseLocalTime('2009-02-14T00:31:30', 'Europe/Stockholm')?.toISOString()).toBe('2009-02-13T23:31:30.000Z');
    expect(parseLocalTime('2024-07-01T12:00:00', 'Europe/Stockholm')?.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(parseLocalTime('2024-07-01T12:00:00', 'UTC')?.toISOString()).toBe('2024-07-01T12:00:00.000Z');
    expect(parseLocalTime('yesterday', 'Europe/Stockholm')).toBeUndefined();
    const url = 'https://app.example/webhooks/sms-lekab/t?id=1363257&from=70303&to=46701234567&status=Delivered&statusmessage=DELIVRD&timestamp=2009-02-14T00%3A31%3A30';
    const [helsinki] = await plugin.parseWebhook!(dr(url), ctx({ callbackTimeZone: 'Europe/Helsinki' }));
    expect(helsinki!.at.toISOString()).toBe('2009-02-13T22:31:30.000Z');
    expect(lekabTimestamp(new Date('2024-07-01T10:00:00Z'))).toBe('2024-07-01T12:00:00');
  });

  it('also accepts the POST variant as form or JSON, and ignores inbound and unknown reports', async () => {
    const base = 'https://app.example/webhooks/sms-lekab/t';
    const form = await plugin.parseWebhook!(dr(base, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'id=42&status=Delivered&statusmessage=DELIVRD' }), ctx());
    expect(form).toMatchObject([{ providerMessageId: '42', status: 'DELIVERED' }]);
    const json = await plugin.parseWebhook!(dr(base, { method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: '{"id":43,"status":"Undelivered","statusmessage":"UNDELIV"}' }), ctx());
    expect(json).toMatchObject([{ providerMessageId: '43', status: 'FAILED' }]);
    expect(await plugin.parseWebhook!(dr(`${base}?id=44&from=46701234567&to=70303&message=STOP&timestamp=2024-01-01T10:00:00`), ctx())).toEqual([]);
    expect(await plugin.parseWebhook!(dr(`${base}?id=45&status=Mystery&statusmessage=ZZZ`), ctx())).toEqual([]);
    expect(await plugin.parseWebhook!(dr(`${base}?status=Delivered`), ctx())).toEqual([]);
  });

  it('offers no erase (the API has no delete) and validates its config', () => {
    expect(plugin.erase).toBeUndefined();
    expect(configSchema.safeParse({ username: 'u', password: 'p', from: 'BIGCO' }).success).toBe(true);
    expect(configSchema.safeParse({ username: 'u', password: 'p', from: '70303' }).success).toBe(true);
    expect(configSchema.safeParse({ username: 'u', from: 'BIGCO' }).success).toBe(false);
    expect(configSchema.safeParse({ username: 'u', password: 'p', from: 'FAR TOO LONG SENDER' }).success).toBe(false);
  });
});
