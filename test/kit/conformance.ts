// The shared conformance suite every provider plugin runs against its fake server:
//   runConformanceSuite({ plugin, startFake, validConfig, badAuthConfig, signsWebhooks });
// It registers vitest blocks, so call it at the top level of a plugin's test file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PLUGIN_ID_PATTERN,
  ProviderError,
  WebhookAuthError,
  type ChannelPlugin,
  type MessageChannelKind,
  type PluginContext,
  type RecipientData,
  type RecipientField,
  type StatusEvent,
  type WebhookRequest,
} from '../../src/channels/contract.ts';
import { createOutboundPolicy } from '../../src/channels/kit/outbound.ts';
import { pickRecipientFields } from '../../src/channels/recipient-fields.ts';
import type { FakeFailure, FakeProvider, ReceivedRequest } from './fake-http.ts';
import { pluginContext } from './plugin-context.ts';
import { startReceiver, type Receiver } from './receiver.ts';

export interface ConformanceFixture<Config> {
  plugin: ChannelPlugin<Config>;
  /** Starts the fake; `callbackUrl` is where account-level callbacks go. */
  startFake(opts: { callbackUrl: string }): Promise<FakeProvider>;
  /** Valid credentials for the fake (with baseUrl; the suite shortens timeoutMs itself for the hung-provider case). */
  validConfig(fake: FakeProvider): Config;
  /** Credentials the fake refuses with the provider's auth error. */
  badAuthConfig(fake: FakeProvider): Config;
  /** True when the provider signs callbacks, so a tampered one must raise WebhookAuthError. */
  signsWebhooks: boolean;
}

/** Valid-looking values that are easy to spot in a captured request. */
const SENTINELS: Required<{ [K in RecipientField]: NonNullable<RecipientData[K]> }> = {
  name: 'Sentinelname Qvxjork',
  phone: '+46709876543',
  email: 'sentinel.mail.7f3a@example.org',
  locale: 'se-FI',
  pushTokens: ['sentinel-push-token-9c1d2e'],
};

/** What to look for in a request for each field (covers form and URL encoding of '+' and '@'). */
const SENTINEL_NEEDLES: Record<RecipientField, string[]> = {
  name: ['Sentinelname', 'Qvxjork'],
  phone: ['46709876543'],
  email: ['sentinel.mail.7f3a', 'sentinel.mail.7f3a%40example.org'],
  locale: ['se-FI', 'se_FI'],
  pushTokens: ['sentinel-push-token-9c1d2e'],
};

const ALL_FIELDS = Object.keys(SENTINELS) as RecipientField[];

/** The recipient every other case sends to. */
const RECIPIENT: RecipientData = {
  name: 'Conformance Person',
  phone: '+46701234567',
  email: 'conformance.person@example.com',
  locale: 'sv-SE',
  pushTokens: ['conformance-push-token-1'],
};

/** How the recipient's address shows in a request to a provider of each channel (some drop the '+'). */
const ADDRESS_NEEDLE: Record<MessageChannelKind, string> = {
  SMS: '46701234567',
  EMAIL: 'conformance.person@example.com',
  PUSH: 'conformance-push-token-1',
};

const MESSAGE_BODY = 'Conformance body text 5b1e';
const MESSAGE_SUBJECT = 'Conformance subject 8d2c';
const OFFER_ID = 'offer-conformance';
/** Short enough to keep the suite fast, long enough for a loaded machine's local round trip. */
const HUNG_PROVIDER_TIMEOUT_MS = 300;

/** A copy of the request whose body (or, with no body, query) no longer matches what was signed. */
function tamper(request: WebhookRequest, providerId: string): WebhookRequest {
  const changedId = providerId.slice(0, -1) + (providerId.endsWith('0') ? '1' : '0');
  if (request.rawBody) {
    const rawBody = request.rawBody.includes(providerId) ? request.rawBody.replace(providerId, changedId) : `${request.rawBody} `;
    return { ...request, rawBody };
  }
  const url = request.url.includes(providerId) ? request.url.replace(providerId, changedId) : `${request.url}${request.url.includes('?') ? '&' : '?'}tampered=1`;
  return { ...request, url };
}

function haystacks(request: ReceivedRequest): string[] {
  const raw = `${request.path}\n${JSON.stringify(request.headers)}\n${request.body}`;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // not URL-encoded; the raw text is enough
  }
  return [raw, decoded];
}

function secretFieldNames(schema: z.ZodType): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const metaOf = (s: z.ZodType): Record<string, unknown> | undefined => {
    const meta = z.globalRegistry.get(s) as Record<string, unknown> | undefined;
    if (meta) return meta;
    const inner = (s as unknown as { unwrap?: () => z.ZodType }).unwrap;
    return typeof inner === 'function' ? metaOf(inner.call(s)) : undefined;
  };
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => metaOf(field)?.writeOnly === true)
    .map(([name]) => name);
}

export function runConformanceSuite<Config>(fixture: ConformanceFixture<Config>): void {
  const { plugin } = fixture;
  const isCoupon = plugin.channel === 'COUPON';
  const verb = isCoupon ? 'issue' : 'send';

  describe(`channel plugin conformance: ${plugin.id}`, () => {
    let receiver: Receiver;
    let fake: FakeProvider;
    let callbackUrl: string;
    let counter = 0;

    beforeAll(async () => {
      receiver = await startReceiver();
      callbackUrl = `${receiver.baseUrl}/webhooks/${plugin.id}/conformance-token-3f9a`;
      fake = await fixture.startFake({ callbackUrl });
    });

    afterAll(async () => {
      await fake?.close();
      await receiver?.close();
    });

    const ctx = (config: Config = fixture.validConfig(fake)): PluginContext<Config> => pluginContext(config, callbackUrl);

    const baseRecipient = (): RecipientData => pickRecipientFields(RECIPIENT, plugin.recipientFields);

    /** Sends (or issues) once and returns the provider's id. */
    async function dispatch(context: PluginContext<Config> = ctx(), to: RecipientData = baseRecipient()): Promise<string> {
      const n = ++counter;
      const sendId = `send_conformance_${n}`;
      if (plugin.channel === 'COUPON') {
        const result = await plugin.issue({ sendId, idempotencyKey: `idem_${n}`, offerId: OFFER_ID, expiresAt: new Date(Date.now() + 86_400_000), to }, context);
        return result.providerGiftId;
      }
      const result = await plugin.send({ sendId, idempotencyKey: `idem_${n}`, to, subject: MESSAGE_SUBJECT, body: MESSAGE_BODY }, context);
      expect(['SENT', 'DELIVERED']).toContain(result.status);
      return result.providerMessageId;
    }

    /** Asserts a ProviderError of the given kind that leaks neither personal data nor credentials. */
    async function expectProviderError(promise: Promise<unknown>, expected: { retryable: boolean; reason: string }, config: Config = fixture.validConfig(fake)): Promise<ProviderError> {
      const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      const providerError = err as ProviderError;
      expect({ retryable: providerError.retryable, reason: providerError.reason }).toEqual(expected);
      const recipient = baseRecipient();
      const forbidden = [recipient.phone, recipient.phone?.replace('+', ''), recipient.email, recipient.name, ...(recipient.pushTokens ?? []), MESSAGE_BODY, MESSAGE_SUBJECT];
      const configRecord = config as Record<string, unknown>;
      for (const field of secretFieldNames(plugin.configSchema)) {
        const value = configRecord[field];
        if (typeof value === 'string' && value.length >= 4) forbidden.push(value);
      }
      for (const needle of forbidden) if (needle) expect(providerError.message).not.toContain(needle);
      return providerError;
    }

    it(`implements ${verb} for channel ${plugin.channel}`, () => {
      expect(typeof (plugin.channel === 'COUPON' ? plugin.issue : plugin.send)).toBe('function');
      expect(plugin.id).toMatch(PLUGIN_ID_PATTERN);
      expect(plugin.subprocessor.legalEntity).not.toBe('');
      expect(plugin.subprocessor.dataCategories.length).toBeGreaterThan(0);
    });

    it('publishes its configSchema as JSON Schema with secrets marked writeOnly', () => {
      const json = z.toJSONSchema(plugin.configSchema) as { properties?: Record<string, { writeOnly?: boolean }> };
      const properties = json.properties ?? {};
      expect(Object.keys(properties)).toEqual(expect.arrayContaining(['baseUrl', 'timeoutMs']));
      const secrets = secretFieldNames(plugin.configSchema);
      expect(secrets.length).toBeGreaterThan(0);
      for (const name of secrets) expect(properties[name]?.writeOnly, `${name} is writeOnly`).toBe(true);
      expect(plugin.configSchema.safeParse(fixture.validConfig(fake)).success).toBe(true);
      expect(plugin.configSchema.safeParse(fixture.badAuthConfig(fake)).success).toBe(true);
    });

    it('accepts only an http or https baseUrl', () => {
      for (const baseUrl of ['ftp://provider.example', 'file:///etc/passwd']) {
        expect(plugin.configSchema.safeParse({ ...fixture.validConfig(fake), baseUrl }).success, baseUrl).toBe(false);
      }
    });

    it(`happy path: one request to the provider with the recipient and the ${isCoupon ? 'offer' : 'message'}; ${verb} returns the provider's id`, async () => {
      const before = fake.received.length;
      const id = await dispatch();
      const requests = fake.received.slice(before);
      expect(requests).toHaveLength(1);
      const seen = haystacks(requests[0]!).join('\n');
      const needles = plugin.channel === 'COUPON' ? [OFFER_ID] : [ADDRESS_NEEDLE[plugin.channel], MESSAGE_BODY];
      for (const needle of needles) expect(seen, `the request carries ${needle}`).toContain(needle);
      expect(fake.holds(id), `the fake knows ${id}`).toBe(true);
    });

    it('bad credentials: permanent auth error', async () => {
      const bad = fixture.badAuthConfig(fake);
      await expectProviderError(dispatch(ctx(bad)), { retryable: false, reason: 'auth' }, bad);
    });

    it('calls the provider only through the outbound policy: in production the loopback fake is refused', async () => {
      const production = createOutboundPolicy({ allowPrivateNetworks: false });
      const before = fake.received.length;
      try {
        await expectProviderError(dispatch({ ...ctx(), outbound: production }), { retryable: false, reason: 'blocked_address' });
      } finally {
        await production.close();
      }
      expect(fake.received.length).toBe(before);
    });

    const transient: Array<[FakeFailure, string, boolean, string]> = [
      ['rate_limit', '429', true, 'rate_limited'],
      ['server_error', '5xx', true, 'server'],
      ['hang', 'a hung provider (timeout)', true, 'timeout'],
      ['malformed', 'malformed JSON', false, 'malformed'],
      ['html', 'an HTML page', false, 'malformed'],
    ];
    for (const [mode, label, retryable, reason] of transient) {
      it(`${label}: ${retryable ? 'retryable' : 'permanent'} ProviderError '${reason}'`, async () => {
        fake.failNext(mode);
        // Only the hung case needs a short timeout; the others keep the fixture's generous one.
        const config = mode === 'hang' ? { ...fixture.validConfig(fake), timeoutMs: HUNG_PROVIDER_TIMEOUT_MS } : undefined;
        await expectProviderError(dispatch(ctx(config)), { retryable, reason });
      });
    }

    it('receives no undeclared personal field', async () => {
      const to = pickRecipientFields(SENTINELS, plugin.recipientFields);
      const before = fake.received.length;
      await dispatch(ctx(), to);
      const requests = fake.received.slice(before);
      expect(requests.length).toBeGreaterThan(0);
      const undeclared = ALL_FIELDS.filter((field) => !plugin.recipientFields.includes(field));
      for (const request of requests) {
        for (const text of haystacks(request)) {
          for (const field of undeclared) {
            for (const needle of SENTINEL_NEEDLES[field]) expect(text, `undeclared field '${field}' reached the provider`).not.toContain(needle);
          }
        }
      }
    });

    const outcomes: Array<['delivered' | 'failed' | 'redeemed', StatusEvent['status']]> = isCoupon
      ? [['redeemed', 'REDEEMED']]
      : [
          ['delivered', 'DELIVERED'],
          ['failed', 'FAILED'],
        ];
    // A plugin with no parseWebhook declares that its provider has no callbacks (e.g. FCM).
    const parseWebhook = plugin.parseWebhook?.bind(plugin);
    if (parseWebhook) {
      for (const [outcome, status] of outcomes) {
        it(`webhook round trip: '${outcome}' callback becomes a ${status} status event`, async () => {
          const id = await dispatch();
          const start = receiver.captured.length;
          await fake.emitCallback(id, outcome);
          let match: { request: WebhookRequest; event: StatusEvent } | undefined;
          for (const request of receiver.captured.slice(start)) {
            for (const event of await parseWebhook(request, ctx())) {
              expect(Number.isNaN(event.at.getTime())).toBe(false);
              const eventId = event.kind === 'message' ? event.providerMessageId : event.providerGiftId;
              if (eventId === id && event.status === status) match = { request, event };
            }
          }
          expect(match, `a ${status} event for the provider id`).toBeDefined();
          expect(match!.event.kind).toBe(isCoupon ? 'gift' : 'message');
          expect(match!.request.url.startsWith(callbackUrl)).toBe(true);
          if (fixture.signsWebhooks) {
            await expect(parseWebhook(tamper(match!.request, id), ctx())).rejects.toBeInstanceOf(WebhookAuthError);
          }
        });
      }
    }
  });
}
