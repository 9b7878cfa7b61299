// 46elks SMS (https://46elks.com/docs/send-sms): form-encoded POST with Basic auth,
// delivery reports posted (unsigned, form-encoded) to the per-message `whendelivered` URL.
import { z } from 'zod';
import { ProviderError, defineMessagePlugin, httpOptionsShape, type PluginContext, type StatusEvent } from '../../src/channels/contract.ts';
import { basicAuth, formRequest, deleteEach, joinUrl, malformed, parseJsonBody, providerRequest, requirePhone, scrubText, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://api.46elks.com';

/** A text sender (3–11 letters/digits, not starting with a digit) or an E.164 number. */
const SENDER = /^(?:[A-Za-z][A-Za-z0-9]{2,10}|\+[1-9]\d{6,14})$/;

export const configSchema = z.object({
  /** The API username from the 46elks dashboard (u + 32 hex). */
  username: z.string().min(1),
  password: z.string().min(1).meta({ writeOnly: true }),
  from: z.string().regex(SENDER, 'a text sender of 3–11 letters or digits (not starting with a digit), or an E.164 number'),
  /** Send as class-0 "flash" SMS. */
  flash: z.boolean().optional(),
  /** Keep the message text in the 46elks history; off by default (sends dontlog=message). */
  keepMessageText: z.boolean().optional(),
  ...httpOptionsShape,
});
export type Elks46Config = z.infer<typeof configSchema>;

/** 46elks answers errors as short plain text. */
const describeError = (res: ProviderResponse) => scrubText(res.text);

/** A call to the 46elks API (its paths start with /a1), with Basic auth. */
function call(ctx: PluginContext<Elks46Config>, method: string, path: string, form?: URLSearchParams): Promise<ProviderResponse> {
  const { baseUrl = DEFAULT_BASE_URL, username, password } = ctx.config;
  return providerRequest(ctx, joinUrl(baseUrl, `/a1${path}`), formRequest(method, { authorization: basicAuth(username, password) }, form));
}

/** 46elks timestamps are UTC without a zone suffix, e.g. 2018-07-13T13:57:23.741000. */
export function parseElksTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const date = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const STATUS: Record<string, 'SENT' | 'DELIVERED' | 'FAILED'> = { sent: 'SENT', delivered: 'DELIVERED', failed: 'FAILED' };

export const plugin = defineMessagePlugin<Elks46Config>({
  id: 'sms-46elks',
  channel: 'SMS',
  displayName: '46elks SMS',
  subprocessor: {
    name: '46elks',
    legalEntity: '46elks AB',
    purpose: 'Delivering SMS messages to recipients',
    location: 'Sweden',
    transferMechanism: null,
    dataCategories: ['phone number', 'message text', 'delivery status'],
  },
  recipientFields: ['phone'],
  configSchema,
  // No published limit; a conservative pace that stays below what 46elks queues per account.
  rateLimit: { max: 100, perMs: 60_000 },

  async send(message, ctx) {
    const to = requirePhone(message.to);
    const form = new URLSearchParams({ from: ctx.config.from, to, message: message.body, whendelivered: ctx.callbackUrl });
    if (!ctx.config.keepMessageText) form.set('dontlog', 'message');
    if (ctx.config.flash) form.set('flashsms', 'yes');
    const res = await call(ctx, 'POST', '/sms', form);
    throwForClientError(res, describeError);
    const body = parseJsonBody<{ id?: unknown; status?: unknown }>(res);
    if (typeof body?.id !== 'string' || body.id === '') throw malformed('46elks accepted the SMS but returned no id', res.status);
    if (body.status === 'failed') throw new ProviderError('46elks refused the SMS (status failed)', { retryable: false, reason: 'rejected', status: res.status });
    return { providerMessageId: body.id, status: 'SENT' };
  },

  // 46elks posts a report within seconds and retries it; silence after this long means it got lost.
  reportWindowMs: 15 * 60_000,

  async status(providerMessageId, ctx) {
    const res = await call(ctx, 'GET', `/sms/${encodeURIComponent(providerMessageId)}`);
    throwForClientError(res, describeError);
    const body = parseJsonBody<{ status?: unknown; delivered?: unknown }>(res);
    const status = STATUS[typeof body.status === 'string' ? body.status : ''];
    if (status !== 'DELIVERED' && status !== 'FAILED') return null;
    const at = (status === 'DELIVERED' ? parseElksTime(typeof body.delivered === 'string' ? body.delivered : undefined) : undefined) ?? new Date();
    return { kind: 'message', providerMessageId, status, at, detail: `46elks status ${body.status} (polled)` };
  },

  async parseWebhook(request) {
    // Unsigned by design: the unguessable token in the callback URL is the authentication.
    const fields = new URLSearchParams(request.rawBody || new URL(request.url).search);
    const id = fields.get('id');
    const status = STATUS[fields.get('status') ?? ''];
    if (!id || !status || fields.get('direction') === 'incoming') return [];
    const event: StatusEvent = {
      kind: 'message',
      providerMessageId: id,
      status,
      at: (status === 'DELIVERED' ? parseElksTime(fields.get('delivered')) : undefined) ?? new Date(),
      detail: `46elks status ${fields.get('status')}`,
    };
    return [event];
  },

  async erase(subject, ctx) {
    // DELETE /a1/sms/{id} removes a message (number and text) from the 46elks history.
    // The endpoint is not in the API notes we hold (only GET /a1/sms/{id} is); confirm with 46elks.
    const { deleted, missing } = await deleteEach(subject.providerMessageIds, (id) => call(ctx, 'DELETE', `/sms/${encodeURIComponent(id)}`), describeError);
    return { erased: true, detail: `deleted ${deleted} message(s) at 46elks${missing ? `, ${missing} already gone` : ''}` };
  },
});
