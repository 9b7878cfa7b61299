// Twilio SendGrid v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send):
// POST /v3/mail/send with a Bearer API key, answered 202 with an empty body and the message id in
// the X-Message-Id header. Delivery events come from the account's Event Webhook as JSON arrays,
// signed with ECDSA P-256 (X-Twilio-Email-Event-Webhook-Signature over timestamp + raw body) and
// verified here against the public key in the tenant's configuration.
// EU regional subusers: set baseUrl to EU_BASE_URL.
// Mail Send has no idempotency key: a retry after an ambiguous timeout may send twice; the
// send id travels in custom_args, which SendGrid echoes on every event, so duplicates can be traced.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, defineMessagePlugin, httpOptionsShape, type StatusEvent } from '../../src/channels/contract.ts';
import { bearerAuth, codeOf, joinUrl, jsonEvents, jsonRequest, malformed, parseJsonBody, providerRequest, requireEmail, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://api.sendgrid.com';
export const EU_BASE_URL = 'https://api.eu.sendgrid.com';
/** The custom_args key that carries our send id. */
export const SEND_ID_ARG = 'send_id';

const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

const publicKeys = new Map<string, KeyObject | null>();

/** Reads the Event Webhook verification key: base64 DER SubjectPublicKeyInfo as SendGrid shows it, or PEM. */
export function readWebhookPublicKey(value: string): KeyObject | null {
  if (publicKeys.has(value)) return publicKeys.get(value)!;
  let key: KeyObject | null = null;
  try {
    const trimmed = value.trim();
    const candidate = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    if (candidate.asymmetricKeyType === 'ec' && candidate.asymmetricKeyDetails?.namedCurve === 'prime256v1') key = candidate;
  } catch {
    key = null;
  }
  if (publicKeys.size > 1000) publicKeys.clear();
  publicKeys.set(value, key);
  return key;
}

export const configSchema = z.object({
  /** An API key with the "Mail Send" permission (SG.xxxx.yyyy). */
  apiKey: z.string().min(1).meta({ writeOnly: true, description: 'SendGrid API key with Mail Send permission' }),
  /** A verified sender or an address on an authenticated domain. */
  fromEmail: z.email(),
  fromName: z.string().min(1).max(100).optional(),
  /** Up to 10 categories, echoed on every event. */
  categories: z.array(z.string().min(1).max(255)).max(10).optional(),
  /** The Signed Event Webhook's verification key; without it, callbacks are refused. */
  webhookPublicKey: z
    .string()
    .refine((value) => readWebhookPublicKey(value) !== null, 'an ECDSA P-256 public key, base64 DER or PEM')
    .optional()
    .meta({ description: 'Signed Event Webhook verification key (public)' }),
  ...httpOptionsShape,
});
export type SendGridConfig = z.infer<typeof configSchema>;

/** SendGrid errors name the offending fields; their messages are left out, as they may quote an address. */
export function describeSendGridError(res: ProviderResponse): string {
  try {
    const body = JSON.parse(res.text) as { errors?: Array<{ field?: unknown }> };
    const fields = (Array.isArray(body?.errors) ? body.errors : []).map((e) => codeOf(e?.field)).filter((f) => f !== undefined);
    return [...new Set(fields)].slice(0, 5).join(', ');
  } catch {
    return '';
  }
}

/**
 * An event's sg_message_id is the X-Message-Id followed by a routing suffix
 * (`<x-message-id>.filterdrecv-…`, `.recvd-…`); this returns the X-Message-Id part.
 */
export function xMessageIdOf(sgMessageId: string): string {
  const known = /^(.+?)\.(?:filter|recvd|ismtpd)/.exec(sgMessageId);
  if (known) return known[1]!;
  const dot = sgMessageId.indexOf('.');
  return dot > 0 ? sgMessageId.slice(0, dot) : sgMessageId;
}

function verifySignature(request: { headers: Record<string, string>; rawBody: string }, key: KeyObject): boolean {
  const signature = request.headers[SIGNATURE_HEADER];
  const timestamp = request.headers[TIMESTAMP_HEADER];
  if (!signature || !timestamp) return false;
  try {
    return verify('sha256', Buffer.from(timestamp + request.rawBody, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function eventStatus(event: Record<string, unknown>): 'DELIVERED' | 'FAILED' | undefined {
  switch (event['event']) {
    case 'delivered':
      return 'DELIVERED';
    case 'bounce': // type "bounce" or "blocked"; both end the message
    case 'dropped':
      return 'FAILED';
    default:
      // processed, deferred, open, click, spamreport, unsubscribe, group_* and unknown types
      return undefined;
  }
}

export const plugin = defineMessagePlugin<SendGridConfig>({
  id: 'email-sendgrid',
  channel: 'EMAIL',
  displayName: 'Twilio SendGrid e-mail',
  subprocessor: {
    name: 'Twilio SendGrid',
    legalEntity: 'Twilio Inc.',
    purpose: 'Delivering transactional e-mail to recipients',
    location: 'US',
    transferMechanism: 'SCCs / EU-US Data Privacy Framework',
    dataCategories: ['e-mail address', 'name', 'message content', 'delivery status'],
  },
  recipientFields: ['email', 'name'],
  configSchema,
  // Mail Send publishes no fixed limit and tolerates far more; a steady pace per tenant channel.
  rateLimit: { max: 600, perMs: 1000 },

  async send(message, ctx) {
    const { config } = ctx;
    const email = requireEmail(message.to);
    if (!message.subject) throw new ProviderError('an e-mail needs a subject', { retryable: false, reason: 'rejected' });
    if (!message.body) throw new ProviderError('an e-mail needs a body', { retryable: false, reason: 'rejected' });
    const payload = {
      personalizations: [
        {
          to: [{ email, ...(message.to.name ? { name: message.to.name } : {}) }],
          custom_args: { [SEND_ID_ARG]: message.sendId },
        },
      ],
      from: { email: config.fromEmail, ...(config.fromName ? { name: config.fromName } : {}) },
      subject: message.subject,
      content: [{ type: 'text/plain', value: message.body }],
      ...(config.categories?.length ? { categories: config.categories } : {}),
    };
    const url = joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, '/v3/mail/send');
    const res = await providerRequest(ctx, url, jsonRequest('POST', { authorization: bearerAuth(config.apiKey) }, payload));
    throwForClientError(res, describeSendGridError);
    // 202 has an empty body; anything else in it (an HTML page from a proxy) is not SendGrid.
    if (res.text.trim() !== '') parseJsonBody(res);
    const id = res.headers.get('x-message-id')?.trim();
    if (!id) throw malformed('SendGrid accepted the e-mail but sent no X-Message-Id', res.status);
    return { providerMessageId: id, status: 'SENT' };
  },

  async parseWebhook(request, ctx) {
    const configured = ctx.config.webhookPublicKey;
    const key = configured ? readWebhookPublicKey(configured) : null;
    if (!key) throw new WebhookAuthError('no Event Webhook verification key is configured');
    if (!verifySignature(request, key)) throw new WebhookAuthError('SendGrid event signature does not verify');
    const events: StatusEvent[] = [];
    for (const event of jsonEvents(request.rawBody)) {
      const status = eventStatus(event);
      const sgMessageId = event['sg_message_id'];
      if (!status || typeof sgMessageId !== 'string' || sgMessageId === '') continue;
      const seconds = Number(event['timestamp']);
      const bounceType = event['event'] === 'bounce' && typeof event['type'] === 'string' && /^[a-z_]{1,20}$/.test(event['type']) ? ` (${event['type']})` : '';
      events.push({
        kind: 'message',
        providerMessageId: xMessageIdOf(sgMessageId),
        status,
        at: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(),
        detail: `SendGrid event ${String(event['event'])}${bounceType}`,
      });
    }
    return events;
  },
});
