// Brevo (formerly Sendinblue) transactional e-mail, API v3 (https://developers.brevo.com).
// POST /v3/smtp/email with the `api-key` header; Brevo's own idempotency through the body's
// `headers.idempotencyKey`; delivery events arrive through the account's transactional webhook,
// which Brevo does not sign: the unguessable token in the callback URL authenticates it, and
// optionally a bearer token configured on the webhook (`auth: {type: "bearer"}`).
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, defineMessagePlugin, httpOptionsShape, type PluginContext, type StatusEvent } from '../../src/channels/contract.ts';
import { deleteEach, errorCode, isEmailAddress, joinUrl, jsonEvents, jsonRequest, malformed, parseJsonBody, providerRequest, requireEmail, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://api.brevo.com';

export const configSchema = z.object({
  /** A v3 API key (xkeysib-…); an SMTP key (xsmtpsib-…) does not work for the REST API. */
  apiKey: z.string().min(1).meta({ writeOnly: true, description: 'Brevo v3 API key' }),
  /** A sender or domain validated in the Brevo account. */
  senderEmail: z.email(),
  senderName: z.string().min(1).max(70).optional(),
  /** Extra tags echoed in Brevo's statistics and webhooks. */
  tags: z.array(z.string().min(1).max(100)).max(10).optional(),
  /** The bearer token set on the Brevo webhook (`auth: {type: "bearer"}`); callbacks without it are refused. */
  webhookToken: z.string().min(16).optional().meta({ writeOnly: true, description: 'Bearer token Brevo sends with webhook calls' }),
  ...httpOptionsShape,
});
export type BrevoConfig = z.infer<typeof configSchema>;

/** A call to the v3 API with the `api-key` header. */
function call(ctx: PluginContext<BrevoConfig>, method: string, pathAndQuery: string, payload?: unknown): Promise<ProviderResponse> {
  const { baseUrl = DEFAULT_BASE_URL, apiKey } = ctx.config;
  return providerRequest(ctx, joinUrl(baseUrl, pathAndQuery), jsonRequest(method, { 'api-key': apiKey }, payload));
}

/** Brevo's error `code` (an enum such as `missing_parameter`), never its free text, which may quote an address. */
const describeError = (res: ProviderResponse): string => errorCode(res, 'code') ?? '';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Brevo documents its idempotency key as a UUID v4. A key that already is a UUID passes unchanged;
 * any other key becomes a v4-shaped UUID derived from its hash, so every retry carries the same value.
 */
export function brevoIdempotencyKey(key: string): string {
  if (UUID.test(key)) return key.toLowerCase();
  const hex = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The tag that lets a repeated request find the message Brevo already accepted for this send. */
export function sendTag(sendId: string): string {
  return `send:${sendId}`;
}

/** Brevo's Message-ID carries angle brackets in the API answer and sometimes not in webhooks. */
export function normaliseMessageId(value: string): string {
  return value.trim().replace(/^<+/, '').replace(/>+$/, '');
}

/**
 * After a `duplicate_request` answer (Brevo already processed this idempotency key, e.g. when an
 * earlier attempt timed out on our side) the message id is looked up in the transactional log,
 * by recipient and the send's tag.
 */
async function findAcceptedMessage(ctx: PluginContext<BrevoConfig>, email: string, tag: string): Promise<string | undefined> {
  const query = new URLSearchParams({ email, sort: 'desc', limit: '100', offset: '0' });
  const res = await call(ctx, 'GET', `/v3/smtp/emails?${query.toString()}`);
  throwForClientError(res, describeError);
  const body = parseJsonBody<{ transactionalEmails?: Array<{ messageId?: unknown; tags?: unknown }> }>(res);
  const hit = (Array.isArray(body?.transactionalEmails) ? body.transactionalEmails : []).find(
    (entry) => Array.isArray(entry?.tags) && entry.tags.includes(tag) && typeof entry.messageId === 'string' && entry.messageId !== '',
  );
  return hit ? normaliseMessageId(hit.messageId as string) : undefined;
}

/** Payload event names (snake_case) mapped to our statuses; every other event is ignored. */
const EVENT_STATUS: Record<string, 'DELIVERED' | 'FAILED'> = {
  delivered: 'DELIVERED',
  hard_bounce: 'FAILED',
  blocked: 'FAILED',
  invalid_email: 'FAILED',
  error: 'FAILED',
};

function eventTime(event: Record<string, unknown>): Date {
  const epochMs = Number(event['ts_epoch']);
  if (Number.isFinite(epochMs) && epochMs > 0) return new Date(epochMs);
  for (const key of ['ts_event', 'ts']) {
    const seconds = Number(event[key]);
    if (Number.isFinite(seconds) && seconds > 0) return new Date(seconds * 1000);
  }
  return new Date();
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = createHash('sha256').update(match[1]!.trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

export const plugin = defineMessagePlugin<BrevoConfig>({
  id: 'email-brevo',
  channel: 'EMAIL',
  displayName: 'Brevo e-mail',
  subprocessor: {
    name: 'Brevo',
    legalEntity: 'Sendinblue SAS (Brevo)',
    purpose: 'Delivering transactional e-mail to recipients',
    location: 'France/EU',
    transferMechanism: null,
    dataCategories: ['e-mail address', 'name', 'message content', 'delivery status'],
  },
  recipientFields: ['email', 'name'],
  configSchema,
  // Brevo's general tier for POST /v3/smtp/email: 1,000 requests per second.
  rateLimit: { max: 1000, perMs: 1000 },

  async send(message, ctx) {
    const { config } = ctx;
    const email = requireEmail(message.to);
    if (!message.subject) throw new ProviderError('an e-mail needs a subject', { retryable: false, reason: 'rejected' });
    const tag = sendTag(message.sendId);
    const payload = {
      sender: { email: config.senderEmail, ...(config.senderName ? { name: config.senderName } : {}) },
      to: [{ email, ...(message.to.name ? { name: message.to.name } : {}) }],
      subject: message.subject,
      textContent: message.body,
      tags: [...(config.tags ?? []), tag],
      headers: { idempotencyKey: brevoIdempotencyKey(message.idempotencyKey), 'X-Mailin-custom': message.sendId },
    };
    const res = await call(ctx, 'POST', '/v3/smtp/email', payload);
    if (res.status >= 400 && errorCode(res, 'code') === 'duplicate_request') {
      const messageId = await findAcceptedMessage(ctx, email, tag);
      if (messageId) return { providerMessageId: messageId, status: 'SENT' };
      throw new ProviderError('Brevo already processed this idempotency key; the message is not in its log yet', {
        retryable: true,
        reason: 'duplicate',
        status: res.status,
        retryAfterMs: 60_000,
      });
    }
    throwForClientError(res, describeError);
    const body = parseJsonBody<{ messageId?: unknown }>(res);
    if (typeof body?.messageId !== 'string' || normaliseMessageId(body.messageId) === '') {
      throw malformed('Brevo accepted the e-mail but returned no messageId', res.status);
    }
    return { providerMessageId: normaliseMessageId(body.messageId), status: 'SENT' };
  },

  async parseWebhook(request, ctx) {
    if (ctx.config.webhookToken && !bearerMatches(request.headers['authorization'], ctx.config.webhookToken)) {
      throw new WebhookAuthError('Brevo webhook without the configured bearer token');
    }
    // One event per request, or an array when the webhook is set up as batched.
    const events: StatusEvent[] = [];
    for (const event of jsonEvents(request.rawBody)) {
      const name = typeof event['event'] === 'string' ? event['event'] : '';
      const status = Object.hasOwn(EVENT_STATUS, name) ? EVENT_STATUS[name] : undefined;
      const rawId = event['message-id'];
      if (!status || typeof rawId !== 'string' || normaliseMessageId(rawId) === '') continue;
      events.push({ kind: 'message', providerMessageId: normaliseMessageId(rawId), status, at: eventTime(event), detail: `Brevo event ${name}` });
    }
    return events;
  },

  async erase(subject, ctx) {
    // DELETE /v3/smtp/log/{identifier} takes an address (every log for it) or a <Message-ID>;
    // Brevo runs the deletion as a job that completes within 24-48 hours.
    const address = subject.to.email;
    const identifiers = [...(isEmailAddress(address) ? [address] : []), ...subject.providerMessageIds.map((id) => `<${normaliseMessageId(id)}>`)];
    if (identifiers.length === 0) return { erased: true, detail: 'no address or message id known at Brevo' };
    const remove = (identifier: string) => call(ctx, 'DELETE', `/v3/smtp/log/${encodeURIComponent(identifier)}`);
    const { deleted, missing } = await deleteEach(identifiers, remove, describeError);
    return {
      erased: true,
      detail: `asked Brevo to delete ${deleted} transactional log set(s)${missing ? ` (${missing} not found)` : ''}; Brevo completes deletion within 24-48 h`,
    };
  },
});
