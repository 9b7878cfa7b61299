// A local fake of the PROPOSED ClearOn coupon API. ClearOn publishes no HTTP API: this server speaks
// our proposal (./PROVIDER.md, "Proposed contract"), not ClearOn's real partner API.
//   POST /v1/coupons (Bearer, Idempotency-Key; same key + same body replays the 201, a different
//   body is 409 idempotency_key_reuse), GET /v1/coupons/{id}, POST /v1/coupons/{id}/cancel,
//   errors {"error": code, "message": text}, and signed webhooks
//   (X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>) to the account's URL.
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearerAuth } from '../../src/channels/kit/index.ts';
import { SendCalls, fakeBase, json, jsonObject, reply, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

export const FAKE_CLEARON_API_KEY = 'clearon-fake-api-key-5e8a1c77d2b94f03';
export const FAKE_CLEARON_WEBHOOK_SECRET = 'whsec-clearon-fake-3b9d0e61a4f2c8b7';

/** Campaign ids that make the fake answer with the proposal's campaign errors. */
export const CLEARON_TEST_CAMPAIGNS = {
  exhausted: 'cmp_exhausted',
  inactive: 'cmp_inactive',
  unknown: 'cmp_unknown',
} as const;

export interface StoredCoupon {
  id: string;
  campaign_id: string;
  code: string;
  code_type: 'ean13';
  url: string;
  recipient?: { msisdn?: string; email?: string };
  status: 'issued' | 'redeemed' | 'expired' | 'cancelled';
  issued_at: string;
  expires_at: string;
  redeemed_at?: string;
  redemption?: { store_id: string; amount_minor: number; currency: 'SEK' };
  external_ref: string;
}

export type CouponEventType = 'coupon.redeemed' | 'coupon.expired' | 'coupon.cancelled';

export interface FakeClearOn extends FakeProvider {
  readonly coupons: Map<string, StoredCoupon>;
  /** Moves a coupon to the event's state and posts the signed webhook. */
  emitEvent(couponId: string, type: CouponEventType): Promise<void>;
  /** Signs a body as the proposal says, for tests that build their own requests. */
  sign(rawBody: string, timestamp?: number): string;
}

export interface ClearOnFakeOptions {
  /** The account-level webhook URL; read when an event is posted, so it may be set after start. */
  callbackUrl?: string;
  webhookSecret?: string;
  /** Redeems each issued coupon after this delay, as a shopper at the till would. */
  autoRedeemAfterMs?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function error(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: code, message }, headers);
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A Swedish-prefixed EAN-13 with a correct check digit. */
function ean13(): string {
  const digits = `735${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return digits + String((10 - (sum % 10)) % 10);
}

export async function startClearOnFake(opts: ClearOnFakeOptions = {}): Promise<FakeClearOn> {
  const secret = opts.webhookSecret ?? FAKE_CLEARON_WEBHOOK_SECRET;
  const coupons = new Map<string, StoredCoupon>();
  const byKey = new Map<string, { body: string; couponId: string }>();
  const calls = new SendCalls();

  function issue(call: FakeCall, res: ServerResponse): void {
    const raw = call.body;
    if (!(call.headers['content-type'] ?? '').startsWith('application/json')) {
      return error(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    const key = call.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '' || key.length > 255) return error(res, 400, 'missing_idempotency_key', 'Idempotency-Key header is required');
    const seen = byKey.get(key);
    if (seen) {
      if (seen.body !== raw) return error(res, 409, 'idempotency_key_reuse', 'Idempotency-Key was used with a different body');
      return json(res, 201, coupons.get(seen.couponId));
    }
    const body = jsonObject(raw);
    if (!body) return error(res, 400, 'invalid_request', 'Body must be a JSON object');
    const campaign = body['campaign_id'];
    if (typeof campaign !== 'string' || campaign === '' || campaign === CLEARON_TEST_CAMPAIGNS.unknown) {
      return error(res, 400, 'invalid_campaign', 'Unknown campaign');
    }
    if (campaign === CLEARON_TEST_CAMPAIGNS.exhausted) return error(res, 409, 'campaign_exhausted', 'No coupons left in this campaign');
    if (campaign === CLEARON_TEST_CAMPAIGNS.inactive) return error(res, 409, 'campaign_inactive', 'The campaign is not active');
    const distribution = body['distribution'] ?? 'none';
    if (!['none', 'sms', 'email'].includes(distribution as string)) return error(res, 400, 'invalid_request', 'distribution must be none, sms or email');
    const recipient = body['recipient'] as { msisdn?: unknown; email?: unknown } | undefined;
    if (recipient !== undefined) {
      if (!recipient || typeof recipient !== 'object') return error(res, 400, 'invalid_recipient', 'recipient must be an object');
      if (recipient.msisdn !== undefined && (typeof recipient.msisdn !== 'string' || !E164.test(recipient.msisdn))) {
        return error(res, 400, 'invalid_recipient', 'msisdn must be E.164');
      }
      if (recipient.email !== undefined && (typeof recipient.email !== 'string' || !EMAIL.test(recipient.email))) {
        return error(res, 400, 'invalid_recipient', 'email is not valid');
      }
    }
    if (distribution === 'sms' && typeof recipient?.msisdn !== 'string') return error(res, 400, 'invalid_recipient', 'distribution sms needs recipient.msisdn');
    if (distribution === 'email' && typeof recipient?.email !== 'string') return error(res, 400, 'invalid_recipient', 'distribution email needs recipient.email');
    const expires = body['expires_at'];
    if (expires !== undefined && (typeof expires !== 'string' || !RFC3339.test(expires) || Date.parse(expires) <= Date.now())) {
      return error(res, 400, 'invalid_request', 'expires_at must be an RFC 3339 time in the future');
    }
    const externalRef = body['external_ref'];
    if (externalRef !== undefined && typeof externalRef !== 'string') return error(res, 400, 'invalid_request', 'external_ref must be a string');
    const id = `cpn_${randomBytes(6).toString('hex')}`;
    const coupon: StoredCoupon = {
      id,
      campaign_id: campaign,
      code: ean13(),
      code_type: 'ean13',
      url: `https://coupon.example/r/${id.slice(4)}`,
      ...(recipient ? { recipient: recipient as StoredCoupon['recipient'] } : {}),
      status: 'issued',
      issued_at: rfc3339(new Date()),
      expires_at: typeof expires === 'string' ? expires : rfc3339(new Date(Date.now() + 30 * 86_400_000)),
      external_ref: typeof externalRef === 'string' ? externalRef : key,
    };
    coupons.set(id, coupon);
    byKey.set(key, { body: raw, couponId: id });
    if (opts.autoRedeemAfterMs !== undefined) setTimeout(() => emitEvent(id, 'coupon.redeemed').catch(() => undefined), opts.autoRedeemAfterMs).unref();
    return json(res, 201, coupon);
  }

  function handle(call: FakeCall, res: ServerResponse): void {
    const { url } = call;
    const isIssue = call.method === 'POST' && url.pathname === '/v1/coupons';
    const failure = isIssue ? calls.take(call) : undefined;
    if (failure === 'hang') return; // never answers; the socket is destroyed on close()
    if (failure === 'rate_limit') return error(res, 429, 'rate_limited', 'Too many requests', { 'retry-after': '3' });
    if (failure === 'server_error') return error(res, 502, 'upstream_unavailable', 'Clearing system unavailable');
    if (failure === 'malformed') return reply(res, 201, 'application/json', '{"id":"cpn_');
    if (failure === 'html') return reply(res, 200, 'text/html', '<html><body>Service window</body></html>');

    if (call.headers.authorization !== bearerAuth(FAKE_CLEARON_API_KEY)) return error(res, 401, 'unauthorized', 'Invalid API key');

    if (isIssue) return issue(call, res);
    const one = /^\/v1\/coupons\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (one) {
      const coupon = coupons.get(decodeURIComponent(one[1]!));
      if (!coupon) return error(res, 404, 'not_found', 'No such coupon');
      if (!one[2] && call.method === 'GET') return json(res, 200, coupon);
      if (one[2] && call.method === 'POST') {
        if (coupon.status === 'redeemed') return error(res, 409, 'already_redeemed', 'The coupon was redeemed');
        if (coupon.status === 'expired') return error(res, 409, 'already_expired', 'The coupon has expired');
        coupon.status = 'cancelled';
        return json(res, 200, coupon);
      }
      return error(res, 405, 'method_not_allowed', 'Method not allowed');
    }
    return error(res, 404, 'not_found', 'Not found');
  }

  const server = await startFakeServer(handle);

  function sign(rawBody: string, timestamp = Math.floor(Date.now() / 1000)): string {
    return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  }

  async function emitEvent(couponId: string, type: CouponEventType): Promise<void> {
    const coupon = coupons.get(couponId);
    if (!coupon) throw new Error('unknown coupon id');
    const now = new Date();
    if (type === 'coupon.redeemed') {
      coupon.status = 'redeemed';
      coupon.redeemed_at = rfc3339(now);
      coupon.redemption = { store_id: 'store-1234', amount_minor: 2000, currency: 'SEK' };
    } else {
      coupon.status = type === 'coupon.expired' ? 'expired' : 'cancelled';
    }
    if (!opts.callbackUrl) return;
    const rawBody = JSON.stringify({ event_id: `evt_${randomBytes(8).toString('hex')}`, type, occurred_at: rfc3339(now), coupon });
    const res = await fetch(opts.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(rawBody) },
      body: rawBody,
    });
    await res.arrayBuffer();
  }

  return {
    ...fakeBase(server, calls),
    coupons,
    sign,
    emitEvent,
    holds: (providerId) => coupons.has(providerId),
    async emitCallback(providerId, outcome) {
      if (outcome === 'delivered') throw new Error('coupons have no delivery callback; use redeemed or failed');
      return emitEvent(providerId, outcome === 'redeemed' ? 'coupon.redeemed' : 'coupon.expired');
    },
  };
}
