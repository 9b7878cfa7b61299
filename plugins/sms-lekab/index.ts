// Lekab SMS REST Web Service (https://secure.lekab.com/doc/SMSRESTWebService.html): JSON POST
// with the credentials in the body; delivery reports go to a callback URL configured on the
// Lekab account (GET with query parameters), not per message.
import { z } from 'zod';
import { ProviderError, defineMessagePlugin, httpOptionsShape, type StatusEvent } from '../../src/channels/contract.ts';
import { joinUrl, malformed, parseJsonBody, providerRequest, requirePhone, scrubText, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://secure.lekab.com';
export const SEND_PATH = '/restsms/lekabrest/send';

/**
 * Everything here is UNVERIFIED: guessed from client code and the readable parts of Lekab's
 * documentation, not from the full field lists (Swagger: https://secure.lekab.com/restsms/swagger.html).
 * Check each entry there before going live; nothing else in this plugin depends on a guess.
 */
export const LEKAB_UNVERIFIED = {
  /** Recipient format in `to[]`: digits without '+' (how Lekab echoes and calls back numbers). */
  stripPlusFromRecipient: true,
  /** Response: list of accepted recipients; `to` inside is confirmed, the list name is from client code. */
  acceptedKey: 'accepted',
  /** Response: list of refused recipients (name guessed). */
  rejectedKey: 'rejected',
  /** Per-recipient message id inside an accepted item (name guessed; callbacks carry numeric ids). */
  messageIdKey: 'id',
  /** Key of the message in a JSON error body (guessed). */
  errorMessageKey: 'error',
  /** Callback `status` values meaning delivered / failed / still on the way (only 'Delivered' is documented). */
  deliveredStatuses: ['delivered'],
  failedStatuses: ['failed', 'undelivered', 'undeliverable', 'expired', 'rejected', 'deleted', 'error'],
  sentStatuses: ['sent', 'accepted', 'buffered', 'enroute'],
  /** SMPP-style `statusmessage` codes (only DELIVRD is documented). */
  deliveredStatusMessages: ['DELIVRD'],
  failedStatusMessages: ['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN'],
} as const;

export const configSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1).meta({ writeOnly: true }),
  /** Alphanumeric sender (e.g. BIGCO), short code or number. */
  from: z.string().regex(/^(?:[A-Za-z0-9 ]{1,11}|\+?[1-9]\d{2,14})$/),
  /** Time zone of callback timestamps; Lekab's default is Swedish local time. */
  callbackTimeZone: z.string().min(1).optional(),
  ...httpOptionsShape,
});
export type LekabConfig = z.infer<typeof configSchema>;

/** E.164 in, Lekab's international format out. */
export function toLekabNumber(e164: string): string {
  return LEKAB_UNVERIFIED.stripPlusFromRecipient ? e164.replace(/^\+/, '') : e164;
}

/** Lekab's error JSON may echo numbers; its message, scrubbed (or the scrubbed page when it is not JSON). */
function describeError(res: ProviderResponse): string {
  try {
    const body = JSON.parse(res.text) as Record<string, unknown>;
    const value = body[LEKAB_UNVERIFIED.errorMessageKey] ?? body['message'];
    return typeof value === 'string' ? scrubText(value) : '';
  } catch {
    return scrubText(res.text);
  }
}

/** Converts a local wall-clock time (YYYY-MM-ddTHH:mm:ss, no offset) in `timeZone` to a Date. */
export function parseLocalTime(value: string | null, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/.exec(value ?? '');
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    return undefined;
  }
  const offsetAt = (t: number): number => {
    const p = Object.fromEntries(formatter.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
  };
  let utc = asUtc - offsetAt(asUtc);
  utc = asUtc - offsetAt(utc);
  return new Date(utc);
}

function classify(status: string, statusMessage: string): 'SENT' | 'DELIVERED' | 'FAILED' | undefined {
  const s = status.toLowerCase();
  const code = statusMessage.toUpperCase();
  if ((LEKAB_UNVERIFIED.deliveredStatuses as readonly string[]).includes(s) || (LEKAB_UNVERIFIED.deliveredStatusMessages as readonly string[]).includes(code)) return 'DELIVERED';
  if ((LEKAB_UNVERIFIED.failedStatuses as readonly string[]).includes(s) || (LEKAB_UNVERIFIED.failedStatusMessages as readonly string[]).includes(code)) return 'FAILED';
  if ((LEKAB_UNVERIFIED.sentStatuses as readonly string[]).includes(s)) return 'SENT';
  return undefined;
}

/** Reads callback fields from the query string (documented GET) or a form/JSON body (POST, format unverified). */
function callbackFields(url: string, rawBody: string, contentType: string): URLSearchParams {
  const fields = new URL(url).searchParams;
  if (!rawBody) return fields;
  if (contentType.startsWith('application/json') || rawBody.trimStart().startsWith('{')) {
    try {
      const body = JSON.parse(rawBody) as Record<string, unknown>;
      for (const [key, value] of Object.entries(body)) if (value !== null && typeof value !== 'object') fields.set(key, String(value));
    } catch {
      return fields;
    }
    return fields;
  }
  for (const [key, value] of new URLSearchParams(rawBody)) fields.set(key, value);
  return fields;
}

export const plugin = defineMessagePlugin<LekabConfig>({
  id: 'sms-lekab',
  channel: 'SMS',
  displayName: 'Lekab SMS',
  subprocessor: {
    name: 'Lekab',
    legalEntity: 'Lekab Communication Systems AB',
    purpose: 'Delivering SMS messages to recipients',
    location: 'Sweden',
    transferMechanism: null,
    dataCategories: ['phone number', 'message text', 'delivery status'],
  },
  recipientFields: ['phone'],
  configSchema,
  // No published limit; moderate pace per tenant channel (the batch API exists for bulk).
  rateLimit: { max: 10, perMs: 1000 },

  async send(message, ctx) {
    const to = toLekabNumber(requirePhone(message.to));
    const res = await providerRequest(ctx, joinUrl(ctx.config.baseUrl ?? DEFAULT_BASE_URL, SEND_PATH), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify({ username: ctx.config.username, password: ctx.config.password, from: ctx.config.from, to: [to], message: message.body }),
    });
    throwForClientError(res, describeError);
    const body = parseJsonBody<Record<string, unknown>>(res);
    if (!body || typeof body !== 'object') throw malformed('Lekab answered with an unexpected body', res.status);
    const accepted = body[LEKAB_UNVERIFIED.acceptedKey];
    const rejected = body[LEKAB_UNVERIFIED.rejectedKey];
    if (!Array.isArray(accepted)) throw malformed('Lekab answered without a list of accepted recipients', res.status);
    const mine = accepted.find((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && String((item as Record<string, unknown>).to).replace(/^\+/, '') === to.replace(/^\+/, ''));
    if (!mine) {
      const refused = Array.isArray(rejected) && rejected.length > 0;
      throw new ProviderError(refused ? 'Lekab rejected the recipient' : 'Lekab did not accept the recipient', {
        retryable: false,
        reason: refused ? 'invalid_recipient' : 'rejected',
        status: res.status,
      });
    }
    const id = mine[LEKAB_UNVERIFIED.messageIdKey];
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') throw malformed('Lekab accepted the SMS but returned no message id', res.status);
    return { providerMessageId: String(id), status: 'SENT' };
  },

  async parseWebhook(request, ctx) {
    // Unsigned: the unguessable token in the configured callback URL is the authentication.
    const fields = callbackFields(request.url, request.rawBody, request.headers['content-type'] ?? '');
    const id = fields.get('id');
    const status = fields.get('status') ?? '';
    const statusMessage = fields.get('statusmessage') ?? '';
    if (!id || fields.has('message')) return []; // no id, or an inbound (MO) message
    const normalised = classify(status, statusMessage);
    if (!normalised) return [];
    const timeZone = ctx.config.callbackTimeZone ?? 'Europe/Stockholm';
    const event: StatusEvent = {
      kind: 'message',
      providerMessageId: id,
      status: normalised,
      at: parseLocalTime(fields.get('timestamp'), timeZone) ?? new Date(),
      detail: `Lekab status ${status.replace(/[^\w -]/g, '').slice(0, 30)}${statusMessage ? ` (${statusMessage.replace(/[^\w -]/g, '').slice(0, 20)})` : ''}`,
    };
    return [event];
  },
  // No erase: the SMS REST API documents no way to delete a sent message.
});
