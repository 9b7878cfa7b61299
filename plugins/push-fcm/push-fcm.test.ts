import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ProviderError, type OutboundMessage, type PluginContext } from '../../src/channels/contract.ts';
import { runConformanceSuite } from '../../test/kit/conformance.ts';
import type { FakeProvider } from '../../test/kit/fake-http.ts';
import { pluginContext } from '../../test/kit/plugin-context.ts';
import { FCM_TEST_TOKENS, startFcmFake, type FakeFcm, type ServiceAccountKeyFile } from './fake-server.ts';
import { FCM_SCOPE, buildMessage, collapseTag, configSchema, plugin, type FcmConfig } from './index.ts';

const otherPrivateKey = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const conformanceAccounts = new WeakMap<FakeProvider, { good: ServiceAccountKeyFile; foreignKey: string }>();

const config = (fake: { baseUrl: string }, serviceAccount: ServiceAccountKeyFile, extra: Partial<FcmConfig> = {}): FcmConfig => ({
  serviceAccount,
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  ...extra,
});

runConformanceSuite<FcmConfig>({
  plugin,
  startFake: async ({ callbackUrl }) => {
    const fake = await startFcmFake({ callbackUrl });
    conformanceAccounts.set(fake, { good: fake.createServiceAccount(), foreignKey: otherPrivateKey() });
    return fake;
  },
  validConfig: (fake) => config(fake, conformanceAccounts.get(fake)!.good),
  // The right account signed with a key Google does not know: invalid_grant "Invalid JWT Signature."
  badAuthConfig: (fake) => {
    const { good, foreignKey } = conformanceAccounts.get(fake)!;
    return config(fake, { ...good, private_key: foreignKey });
  },
  signsWebhooks: false,
});

describe('push-fcm specifics', () => {
  let fake: FakeFcm;
  let account: ServiceAccountKeyFile;
  const ctx = (extra: Partial<FcmConfig> = {}, sa: ServiceAccountKeyFile = account, target: { baseUrl: string } = fake): PluginContext<FcmConfig> =>
    pluginContext(config(target, sa, extra), 'https://platform.example/webhooks/push-fcm/unused');
  let n = 0;
  const message = (pushTokens: string[] | null = ['dGVzdC10b2tlbi0x:APA91bH-example_token'], extra: Partial<OutboundMessage> = {}): OutboundMessage => {
    n++;
    return { sendId: `send_${n}`, idempotencyKey: `idem_${n}`, to: { pushTokens }, subject: 'Ny kupong', body: '20% på kaffe', ...extra };
  };
  const grantsFor = (sa: ServiceAccountKeyFile, f: FakeFcm = fake) => f.tokenRequests.filter((r) => r.clientEmail === sa.client_email && r.granted).length;

  beforeAll(async () => {
    fake = await startFcmFake();
    account = fake.createServiceAccount();
  });

  afterAll(async () => {
    await fake.close();
  });

  it('sends one HTTP v1 message per token with a Bearer access token and reports DELIVERED', async () => {
    const before = fake.received.length;
    const msg = message(['tok-A:APA91b_1'], { sendId: 'send_shape', idempotencyKey: 'idem_shape' });
    const result = await plugin.send(msg, ctx());
    expect(result.status).toBe('DELIVERED');
    expect(result.providerMessageId).toMatch(/^projects\/fake-project-1a2b3\/messages\/0:\d+%[0-9a-f]{16}$/);
    expect(fake.received.length).toBe(before + 1);
    const request = fake.received[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/projects/fake-project-1a2b3/messages:send');
    expect(request.headers['authorization']).toMatch(/^Bearer ya29\.c\./);
    expect(request.headers['content-type']).toBe('application/json; UTF-8');
    const tag = collapseTag('idem_shape');
    expect(tag).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.parse(request.body)).toEqual({
      message: {
        token: 'tok-A:APA91b_1',
        notification: { title: 'Ny kupong', body: '20% på kaffe' },
        data: { send_id: 'send_shape' },
        android: { notification: { tag } },
        apns: { headers: { 'apns-collapse-id': tag } },
      },
    });
    expect(buildMessage('t', { sendId: 's', idempotencyKey: 'k', body: 'b' }).message.notification).toEqual({ body: 'b' });
  });

  it('mints an RS256 service-account JWT once and reuses the access token on the next send', async () => {
    const sa = fake.createServiceAccount();
    const start = fake.tokenRequests.length;
    await plugin.send(message(), ctx({}, sa));
    expect(grantsFor(sa)).toBe(1);
    await plugin.send(message(), ctx({}, sa));
    expect(grantsFor(sa)).toBe(1);
    const minted = fake.tokenRequests.slice(start);
    expect(minted).toHaveLength(1);
    expect(minted[0]!.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: sa.private_key_id });
    const claims = minted[0]!.claims;
    expect(claims).toMatchObject({ iss: sa.client_email, aud: sa.token_uri, scope: FCM_SCOPE });
    expect(claims).not.toHaveProperty('sub');
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(3600);
    expect(Math.abs(Number(claims['iat']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('concurrent sends share one mint', async () => {
    const sa = fake.createServiceAccount();
    await Promise.all([plugin.send(message(), ctx({}, sa)), plugin.send(message(), ctx({}, sa)), plugin.send(message(), ctx({}, sa))]);
    expect(grantsFor(sa)).toBe(1);
  });

  it('mints again five minutes before the access token expires', async () => {
    const sa = fake.createServiceAccount();
    const realNow = Date.now.bind(Date);
    await plugin.send(message(), ctx({}, sa));
    expect(grantsFor(sa)).toBe(1);
    try {
      // Google's tokens live 3599 s; the cached one is kept until 300 s before that.
      const start = realNow();
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3290_000 + (realNow() - start));
      await plugin.send(message(), ctx({}, sa));
      expect(grantsFor(sa)).toBe(1);
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3300_000 + (realNow() - start));
      await plugin.send(message(), ctx({}, sa));
      expect(grantsFor(sa)).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('a short-lived access token is replaced halfway through its life', async () => {
    const shortLived = await startFcmFake({ tokenLifetimeSeconds: 2 });
    try {
      const sa = shortLived.createServiceAccount();
      await plugin.send(message(), ctx({}, sa, shortLived));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await plugin.send(message(), ctx({}, sa, shortLived));
      expect(grantsFor(sa, shortLived)).toBe(2);
    } finally {
      await shortLived.close();
    }
  });

  it('a revoked access token (401 UNAUTHENTICATED) is replaced once and the message goes out', async () => {
    const sa = fake.createServiceAccount();
    await plugin.send(message(), ctx({}, sa));
    fake.revokeAccessTokens();
    const before = fake.received.length;
    const result = await plugin.send(message(), ctx({}, sa));
    expect(result.status).toBe('DELIVERED');
    expect(fake.received.length).toBe(before + 2);
    expect(grantsFor(sa)).toBe(2);
  });

  it('UNREGISTERED is a permanent invalid_recipient that does not name the token', async () => {
    const token = 'uninstalled-app-token:APA91b_zz';
    fake.unregister(token);
    const err = await plugin.send(message([token]), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false, reason: 'invalid_recipient', status: 404 });
    expect((err as Error).message).not.toContain(token);
    expect((err as Error).message).toContain('UNREGISTERED');
  });

  it.each([
    [FCM_TEST_TOKENS.senderIdMismatch, { retryable: false, reason: 'invalid_recipient', status: 403 }],
    [FCM_TEST_TOKENS.malformedToken, { retryable: false, reason: 'invalid_recipient', status: 400 }],
    [FCM_TEST_TOKENS.thirdPartyAuth, { retryable: false, reason: 'auth', status: 401 }],
    [FCM_TEST_TOKENS.quotaExceeded, { retryable: true, reason: 'rate_limited', status: 429, retryAfterMs: 60_000 }],
    [FCM_TEST_TOKENS.unavailable, { retryable: true, reason: 'server', status: 503 }],
    [FCM_TEST_TOKENS.internal, { retryable: true, reason: 'server', status: 500 }],
  ])('token %s gives the documented outcome', async (token, expected) => {
    const err = await plugin.send(message([token]), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject(expected);
  });

  it('a payload over 4096 bytes is refused permanently', async () => {
    await expect(plugin.send(message(undefined, { body: 'x'.repeat(5000) }), ctx())).rejects.toMatchObject({ retryable: false, reason: 'rejected', status: 400 });
  });

  describe('several tokens', () => {
    it('succeeds when any token accepts, after sending to each', async () => {
      const before = fake.received.length;
      const result = await plugin.send(message([FCM_TEST_TOKENS.unregistered, 'good-token:1', 'good-token:1']), ctx());
      expect(result.status).toBe('DELIVERED');
      const requests = fake.received.slice(before).map((r) => (JSON.parse(r.body) as { message: { token: string } }).message.token);
      expect(requests.sort()).toEqual(['fake-token:UNREGISTERED', 'good-token:1']);
      expect(fake.messages.find((m) => m.name === result.providerMessageId)?.message['token']).toBe('good-token:1');
    });

    it('when none accepts, a retryable error wins over a dead token', async () => {
      await expect(plugin.send(message([FCM_TEST_TOKENS.unregistered, FCM_TEST_TOKENS.unavailable]), ctx())).rejects.toMatchObject({ retryable: true, reason: 'server' });
    });

    it('when all are refused for good, the first dead token is reported', async () => {
      const err = await plugin.send(message([FCM_TEST_TOKENS.thirdPartyAuth, FCM_TEST_TOKENS.senderIdMismatch, FCM_TEST_TOKENS.unregistered]), ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({ retryable: false, reason: 'invalid_recipient', status: 403 });
      expect((err as Error).message).toContain('SENDER_ID_MISMATCH');
    });
  });

  it('refuses a recipient without push tokens before calling FCM', async () => {
    const before = fake.received.length;
    for (const tokens of [null, [], ['', '  ']]) {
      await expect(plugin.send(message(tokens), ctx())).rejects.toMatchObject({ retryable: false, reason: 'invalid_recipient' });
    }
    expect(fake.received.length).toBe(before);
  });

  it('credential problems are permanent auth errors', async () => {
    const unknown = { ...account, client_email: 'deleted-account@fake-project-1a2b3.iam.gserviceaccount.com' };
    await expect(plugin.send(message(), ctx({}, unknown))).rejects.toMatchObject({ retryable: false, reason: 'auth', status: 401 });
    const before = fake.tokenRequests.length;
    await expect(plugin.send(message(), ctx({}, { ...account, private_key: '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n' }))).rejects.toMatchObject({
      retryable: false,
      reason: 'auth',
    });
    expect(fake.tokenRequests.length).toBe(before);
    // Sending to a project the service account has no rights on: PERMISSION_DENIED.
    await expect(plugin.send(message(), ctx({ projectId: 'someone-elses-project' }))).rejects.toMatchObject({ retryable: false, reason: 'auth', status: 403 });
  });

  it('has no callbacks: no parseWebhook, and the fake refuses to emit one', async () => {
    expect(plugin.parseWebhook).toBeUndefined();
    await expect(fake.emitCallback('x', 'delivered')).rejects.toThrow('no delivery callbacks');
  });

  it('takes the key file as write-only config and drops fields it does not use', () => {
    const json = z.toJSONSchema(configSchema) as { properties: Record<string, { writeOnly?: boolean }> };
    expect(json.properties['serviceAccount']!.writeOnly).toBe(true);
    const parsed = configSchema.parse({ serviceAccount: account });
    expect(Object.keys(parsed.serviceAccount).sort()).toEqual(['client_email', 'private_key', 'private_key_id', 'project_id', 'token_uri', 'type']);
    expect(configSchema.safeParse({ serviceAccount: { ...account, private_key: 'nope' } }).success).toBe(false);
    expect(plugin.recipientFields).toEqual(['pushTokens']);
    expect(plugin.subprocessor).toMatchObject({
      legalEntity: 'Google LLC (Google Ireland Limited as contracting party in the EEA)',
      location: 'EU/US',
      transferMechanism: 'SCCs / EU-US Data Privacy Framework',
    });
  });
});
