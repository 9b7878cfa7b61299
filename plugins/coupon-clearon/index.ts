// ClearOn digital coupons (ClearOn AB, Sweden).
//
// PROPOSED CONTRACT: ClearOn publishes no HTTP API; its partner API is shared under agreement.
// Everything this plugin sends and expects is OUR PROPOSAL (see the providers notes, "PROPOSAL (not
// ClearOn's API)"), not ClearOn's real API, and must be mapped onto the partner spec once obtained:
//   POST /v1/coupons            Bearer API key, Idempotency-Key = our idempotency key -> 201 Coupon
//   GET  /v1/coupons/{id}       -> Coupon (polling fallback)
//   POST /v1/coupons/{id}/cancel -> Coupon, or 409 already_redeemed
//   webhook coupon.redeemed | coupon.expired | coupon.cancelled, signed
//   X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>, refused beyond 300 s.
// There is no public host, so baseUrl is required.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, WebhookAuthError, defineCouponPlugin, httpOptionsShape, httpUrl, type PluginContext, type StatusEvent } from '../../src/channels/contract.ts';
import { bearerAuth, errorCode, joinUrl, jsonEvents, jsonRequest, malformed, parseJsonBody, providerRequest, requireEmail, requirePhone, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

/** How far a webhook's signed timestamp may be from now. */
export const SIGNATURE_TOLERANCE_S = 300;

export const configSchema = z.object({
  apiKey: z.string().min(1).meta({ writeOnly: true, description: 'ClearOn API key (proposed contract)' }),
  /** The shared secret ClearOn signs webhooks with; callbacks are refused without it. */
  webhookSecret: z.string().min(16).optional().meta({ writeOnly: true, description: 'Webhook signing secret' }),
  /** "none": we deliver the code ourselves (SMS, e-mail, push); "sms"/"email": ClearOn sends it. */
  distribution: z.enum(['none', 'sms', 'email']).optional(),
  ...httpOptionsShape,
  /** ClearOn's partner API host; there is no public default. */
  baseUrl: httpUrl(),
});
export type ClearOnConfig = z.infer<typeof configSchema>;

export type CouponStatus = 'issued' | 'redeemed' | 'expired' | 'cancelled';

/** The proposal's Coupon, reduced to what the platform uses (the recipient is left out). */
export interface ClearOnCoupon {
  id: string;
  campaignId: string | null;
  code: string | null;
  codeType: string | null;
  url: string | null;
  status: CouponStatus;
  issuedAt: Date | null;
  expiresAt: Date | null;
  redeemedAt: Date | null;
}

const STATUSES: readonly CouponStatus[] = ['issued', 'redeemed', 'expired', 'cancelled'];

function throwForCouponError(res: ProviderResponse): void {
  if (res.status < 400) return;
  // The proposal's error code only; its `message` may quote the recipient.
  const code = errorCode(res, 'error');
  if (res.status === 400 && code === 'invalid_recipient') {
    throw new ProviderError('ClearOn refused the recipient (invalid_recipient)', { retryable: false, reason: 'invalid_recipient', status: 400 });
  }
  throwForClientError(res, () => code ?? '');
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads a Coupon answer; anything without an id and a known status is malformed. */
export function readCoupon(value: unknown, status?: number): ClearOnCoupon {
  const c = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const id = str(c['id']);
  const state = STATUSES.find((s) => s === c['status']);
  if (!id || !state) throw malformed('ClearOn answered without a coupon id and status', status);
  return {
    id,
    campaignId: str(c['campaign_id']),
    code: str(c['code']),
    codeType: str(c['code_type']),
    url: str(c['url']),
    status: state,
    issuedAt: parseDate(c['issued_at']),
    expiresAt: parseDate(c['expires_at']),
    redeemedAt: parseDate(c['redeemed_at']),
  };
}

/** A call to the partner API with the Bearer key that answers with a Coupon. */
async function couponCall(ctx: PluginContext<ClearOnConfig>, method: string, path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<ClearOnCoupon> {
  const { baseUrl, apiKey } = ctx.config;
  const res = await providerRequest(ctx, joinUrl(baseUrl, path), jsonRequest(method, { authorization: bearerAuth(apiKey), ...headers }, payload));
  throwForCouponError(res);
  return readCoupon(parseJsonBody(res), res.status);
}

/** GET /v1/coupons/{id}: the polling fallback when webhooks are not set up. */
export function getCoupon(ctx: PluginContext<ClearOnConfig>, id: string): Promise<ClearOnCoupon> {
  return couponCall(ctx, 'GET', `/v1/coupons/${encodeURIComponent(id)}`);
}

/** POST /v1/coupons/{id}/cancel: voids an unredeemed coupon; a redeemed one answers 409 already_redeemed. */
export function cancelCoupon(ctx: PluginContext<ClearOnConfig>, id: string): Promise<ClearOnCoupon> {
  return couponCall(ctx, 'POST', `/v1/coupons/${encodeURIComponent(id)}/cancel`);
}

/** Checks `X-Signature: t=<unix>,v1=<hex>[,v1=<hex>]` (several v1 while a secret is rotated). */
export function verifyClearOnSignature(header: string | undefined, rawBody: string, secret: string, nowMs = Date.now()): void {
  if (!header) throw new WebhookAuthError('ClearOn webhook without X-Signature');
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) throw new WebhookAuthError('ClearOn X-Signature is not t=…,v1=…');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) throw new WebhookAuthError('ClearOn webhook timestamp is outside the 300 s window');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
  if (!signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))) throw new WebhookAuthError('ClearOn webhook signature does not match');
}

const EVENT_STATUS: Record<string, 'REDEEMED' | 'EXPIRED' | 'CANCELED'> = {
  'coupon.redeemed': 'REDEEMED',
  'coupon.expired': 'EXPIRED',
  'coupon.cancelled': 'CANCELED',
};

export const plugin = defineCouponPlugin<ClearOnConfig>({
  id: 'coupon-clearon',
  channel: 'COUPON',
  displayName: 'ClearOn digital coupons',
  subprocessor: {
    name: 'ClearOn',
    legalEntity: 'ClearOn AB',
    purpose: 'Issuing digital coupons and clearing their redemption in retail',
    location: 'Sweden',
    transferMechanism: null,
    dataCategories: ['phone number', 'e-mail address', 'coupon and redemption data'],
  },
  // Only used when ClearOn distributes the coupon itself (distribution "sms" or "email").
  recipientFields: ['phone', 'email'],
  configSchema,
  // No published limit for the proposal; a cautious pace for single-coupon issuing.
  rateLimit: { max: 20, perMs: 1000 },

  async issue(gift, ctx) {
    const { config } = ctx;
    const distribution = config.distribution ?? 'none';
    // With distribution "none" we deliver the code ourselves, so ClearOn receives no recipient at all.
    const recipient = distribution === 'sms' ? { msisdn: requirePhone(gift.to) } : distribution === 'email' ? { email: requireEmail(gift.to) } : undefined;
    const payload = {
      campaign_id: gift.offerId,
      ...(recipient ? { recipient } : {}),
      distribution,
      ...(gift.expiresAt ? { expires_at: rfc3339(gift.expiresAt) } : {}),
      external_ref: gift.idempotencyKey,
    };
    const coupon = await couponCall(ctx, 'POST', '/v1/coupons', payload, { 'idempotency-key': gift.idempotencyKey });
    return { providerGiftId: coupon.id, code: coupon.code, url: coupon.url, expiresAt: coupon.expiresAt };
  },

  async parseWebhook(request, ctx) {
    if (!ctx.config.webhookSecret) throw new WebhookAuthError('no ClearOn webhook secret is configured');
    verifyClearOnSignature(request.headers['x-signature'], request.rawBody, ctx.config.webhookSecret);
    const events: StatusEvent[] = [];
    for (const event of jsonEvents(request.rawBody)) {
      const type = typeof event['type'] === 'string' ? event['type'] : '';
      const status = Object.hasOwn(EVENT_STATUS, type) ? EVENT_STATUS[type] : undefined;
      const coupon = event['coupon'] as Record<string, unknown> | undefined;
      const id = str(coupon?.['id']);
      if (!status || !id) continue;
      events.push({ kind: 'gift', providerGiftId: id, status, at: parseDate(event['occurred_at']) ?? new Date(), detail: `ClearOn ${type}` });
    }
    return events;
  },
});
