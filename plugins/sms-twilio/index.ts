// Twilio Programmable Messaging (Message resource, API 2010-04-01): form-encoded PascalCase
// POST with Basic auth; status callbacks signed with X-Twilio-Signature (HMAC-SHA1).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, defineMessagePlugin, httpOptionsShape, type PluginContext, type StatusEvent, type WebhookRequest } from '../../src/channels/contract.ts';
import { basicAuth, formRequest, deleteEach, errorCode, joinUrl, malformed, parseJsonBody, providerRequest, requirePhone, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://api.twilio.com';

export const configSchema = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID (AC + 32 hex)'),
    /** Authenticates API calls and is the key of the callback signatures. */
    authToken: z.string().min(1).meta({ writeOnly: true }),
    /** A Twilio number (E.164), short code or alphanumeric sender; or use messagingServiceSid. */
    from: z.string().regex(/^(?:\+[1-9]\d{1,14}|\d{3,8}|[A-Za-z0-9 ]{1,11})$/).optional(),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional(),
    /** Seconds a message may wait in Twilio's queue before it fails (1–36,000). */
    validityPeriodSeconds: z.number().int().min(1).max(36_000).optional(),
    ...httpOptionsShape,
  })
  .refine((c) => Boolean(c.from || c.messagingServiceSid), { message: 'from or messagingServiceSid is required', path: ['from'] });
export type TwilioConfig = z.infer<typeof configSchema>;

/** Twilio's webhook signature: Base64(HMAC-SHA1(authToken, url + each POST param's name and value, sorted by name)). */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const sorted = [...params.entries()].sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  const data = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function verifySignature(request: WebhookRequest, authToken: string): URLSearchParams {
  const given = request.headers['x-twilio-signature'];
  if (!given) throw new WebhookAuthError('Twilio callback without X-Twilio-Signature');
  const params = new URLSearchParams(request.rawBody);
  const expected = Buffer.from(twilioSignature(authToken, request.url, params));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new WebhookAuthError('Twilio callback signature does not match');
  }
  return params;
}

/** Twilio error bodies quote the number ("The 'To' number +46… is not valid"); only the code goes into our messages. */
function describeError(res: ProviderResponse): string {
  const code = errorCode(res, 'code');
  return code ? `Twilio error ${code}` : '';
}

/** Twilio codes that mean this recipient cannot be reached this way, for good. */
const RECIPIENT_CODES = new Set([21211, 21408, 21610, 21612, 21614]);

function throwForTwilioError(res: ProviderResponse): void {
  if (res.status === 400) {
    const code = errorCode(res, 'code');
    if (code && RECIPIENT_CODES.has(Number(code))) {
      throw new ProviderError(`Twilio refused the recipient (error ${code})`, { retryable: false, reason: 'invalid_recipient', status: 400 });
    }
  }
  throwForClientError(res, describeError);
}

/** A call to a resource of the tenant's account, with Basic auth. */
function call(ctx: PluginContext<TwilioConfig>, method: string, path: string, form?: URLSearchParams): Promise<ProviderResponse> {
  const { baseUrl = DEFAULT_BASE_URL, accountSid, authToken } = ctx.config;
  const url = joinUrl(baseUrl, `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}${path}`);
  return providerRequest(ctx, url, formRequest(method, { authorization: basicAuth(accountSid, authToken) }, form));
}

const STATUS: Record<string, 'SENT' | 'DELIVERED' | 'FAILED'> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'DELIVERED',
  undelivered: 'FAILED',
  failed: 'FAILED',
  canceled: 'FAILED',
};

export const plugin = defineMessagePlugin<TwilioConfig>({
  id: 'sms-twilio',
  channel: 'SMS',
  displayName: 'Twilio SMS',
  subprocessor: {
    name: 'Twilio',
    legalEntity: 'Twilio Inc.',
    purpose: 'Delivering SMS messages to recipients',
    location: 'EU/US',
    transferMechanism: 'EU Standard Contractual Clauses; EU-US Data Privacy Framework',
    dataCategories: ['phone number', 'message text', 'delivery status'],
  },
  recipientFields: ['phone'],
  configSchema,
  // Twilio queues above a sender's throughput; this keeps the queue short for a typical sender.
  rateLimit: { max: 10, perMs: 1000 },

  async send(message, ctx) {
    const to = requirePhone(message.to);
    const form = new URLSearchParams({ To: to, Body: message.body, StatusCallback: ctx.callbackUrl });
    if (ctx.config.messagingServiceSid) form.set('MessagingServiceSid', ctx.config.messagingServiceSid);
    else if (ctx.config.from) form.set('From', ctx.config.from);
    if (ctx.config.validityPeriodSeconds) form.set('ValidityPeriod', String(ctx.config.validityPeriodSeconds));
    const res = await call(ctx, 'POST', '/Messages.json', form);
    throwForTwilioError(res);
    const body = parseJsonBody<{ sid?: unknown; status?: unknown; error_code?: unknown }>(res);
    if (typeof body?.sid !== 'string' || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(body.sid)) {
      throw malformed('Twilio accepted the message but returned no Message SID', res.status);
    }
    if (body.status === 'failed') {
      throw new ProviderError(`Twilio failed the message at once (error ${String(body.error_code ?? 'unknown')})`, { retryable: false, reason: 'rejected', status: res.status });
    }
    return { providerMessageId: body.sid, status: 'SENT' };
  },

  // Twilio posts status callbacks within seconds; silence after this long means one got lost.
  reportWindowMs: 15 * 60_000,

  async status(sid, ctx) {
    const res = await call(ctx, 'GET', `/Messages/${encodeURIComponent(sid)}.json`);
    throwForTwilioError(res);
    const body = parseJsonBody<{ status?: unknown; error_code?: unknown }>(res);
    const raw = typeof body.status === 'string' ? body.status : '';
    const status = STATUS[raw];
    if (status !== 'DELIVERED' && status !== 'FAILED') return null;
    const failure = body.error_code == null ? '' : ` (error ${String(body.error_code)})`;
    return { kind: 'message', providerMessageId: sid, status, at: new Date(), detail: `Twilio status ${raw}${failure} (polled)` };
  },

  async parseWebhook(request, ctx) {
    const params = verifySignature(request, ctx.config.authToken);
    const sid = params.get('MessageSid') ?? params.get('SmsSid');
    const raw = params.get('MessageStatus') ?? params.get('SmsStatus') ?? '';
    const status = STATUS[raw];
    if (!sid || !status) return [];
    if (params.get('AccountSid') && params.get('AccountSid') !== ctx.config.accountSid) return [];
    const failure = params.get('ErrorCode');
    const event: StatusEvent = {
      kind: 'message',
      providerMessageId: sid,
      status,
      at: new Date(),
      detail: failure ? `Twilio status ${raw} (error ${failure})` : `Twilio status ${raw}`,
    };
    return [event];
  },

  async erase(subject, ctx) {
    // DELETE on a Message removes its record (number and body) from the account.
    const { deleted, missing } = await deleteEach(subject.providerMessageIds, (sid) => call(ctx, 'DELETE', `/Messages/${encodeURIComponent(sid)}.json`), describeError);
    return { erased: true, detail: `deleted ${deleted} message(s) at Twilio${missing ? `, ${missing} already gone` : ''}` };
  },
});
