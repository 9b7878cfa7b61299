// The shared conformance suite every provider plugin runs against its fake server:
//   runConformanceSuite({ plugin, startFake, validConfig, badAuthConfig, signsWebhooks });
// It registers vitest blocks, so call it at the top level of a plugin's test file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ProviderError,
  WebhookAuthError,
  type PluginContext,
  type RecipientData,
  type RecipientField,
  type StatusEvent,
  type WebhookRequest,
} from './contract.ts';
import type { ConformanceFixture, FakeFailure, FakeProvider } from './conformance-types.ts';
import { pickRecipientFields } from './recipient-fields.ts';

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

const MESSAGE_BODY = 'Conformance body text 5b1e';
const MESSAGE_SUBJECT = 'Conformance subject 8d2c';
/** Short enough to keep the suite fast, long enough for a loaded machine's local round trip. */
const HUNG_PROVIDER_TIMEOUT_MS = 300;

/** A loopback HTTP server standing in for the platform's webhook endpoint. */
interface Receiver {
  baseUrl: string;
  captured: WebhookRequest[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const captured: WebhookRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      captured.push({ method: req.method ?? 'GET', url: `${baseUrl}${req.url ?? '/'}`, headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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

function haystacks(request: FakeProvider['received'][number]): string[] {
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

    const ctx = (config: Config = fixture.validConfig(fake)): PluginContext<Config> => ({ config, callbackUrl });

    const baseRecipient = (): RecipientData =>
      pickRecipientFields(
        { name: 'Conformance Person', phone: '+46701234567', email: 'conformance.person@example.com', locale: 'sv-SE', pushTokens: ['conformance-push-token-1'] },
        plugin.recipientFields,
      );

    /** Sends (or issues) once and returns the provider's id. */
    async function dispatch(config?: Config, to: RecipientData = baseRecipient()): Promise<string> {
      const n = ++counter;
      const sendId = `send_conformance_${n}`;
      if (isCoupon) {
        const result = await plugin.issue!({ sendId, idempotencyKey: `idem_${n}`, offerId: 'offer-conformance', expiresAt: new Date(Date.now() + 86_400_000), to }, ctx(config));
        return result.providerGiftId;
      }
      const result = await plugin.send!({ sendId, idempotencyKey: `idem_${n}`, to, subject: MESSAGE_SUBJECT, body: MESSAGE_BODY }, ctx(config));
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

    it(`implements ${isCoupon ? 'issue' : 'send'} for channel ${plugin.channel}`, () => {
      expect(typeof (isCoupon ? plugin.issue : plugin.send)).toBe('function');
      expect(plugin.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
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

    it(`happy path: ${isCoupon ? 'issue' : 'send'} returns the provider id`, async () => {
      const before = fake.received.length;
      const id = await dispatch();
      expect(typeof id).toBe('string');
      expect(id.length).toBeGreaterThan(0);
      expect(fake.received.length).toBeGreaterThan(before);
    });

    it('bad credentials: permanent auth error', async () => {
      const bad = fixture.badAuthConfig(fake);
      await expectProviderError(dispatch(bad), { retryable: false, reason: 'auth' }, bad);
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
        await expectProviderError(dispatch(config), { retryable, reason });
      });
    }

    it('receives no undeclared personal field', async () => {
      const to = pickRecipientFields(SENTINELS, plugin.recipientFields);
      const before = fake.received.length;
      await dispatch(undefined, to);
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
    if (typeof plugin.parseWebhook === 'function') {
      for (const [outcome, status] of outcomes) {
        it(`webhook round trip: '${outcome}' callback becomes a ${status} status event`, async () => {
          const id = await dispatch();
          const start = receiver.captured.length;
          await fake.emitCallback(id, outcome);
          let match: { request: WebhookRequest; event: StatusEvent } | undefined;
          const deadline = Date.now() + 2000;
          let parsed = start;
          while (!match && Date.now() < deadline) {
            for (; parsed < receiver.captured.length; parsed++) {
              const request = receiver.captured[parsed]!;
              const events = await plugin.parseWebhook!(request, ctx());
              for (const event of events) {
                expect(Number.isNaN(event.at.getTime())).toBe(false);
                const eventId = event.kind === 'message' ? event.providerMessageId : event.providerGiftId;
                if (eventId === id && event.status === status) match = { request, event };
              }
            }
            if (!match) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          expect(match, `a ${status} event for the provider id`).toBeDefined();
          expect(match!.event.kind).toBe(isCoupon ? 'gift' : 'message');
          expect(match!.request.url.startsWith(callbackUrl)).toBe(true);
          if (fixture.signsWebhooks) {
            await expect(plugin.parseWebhook!(tamper(match!.request, id), ctx())).rejects.toBeInstanceOf(WebhookAuthError);
          }
        });
      }
    }
  });
}
