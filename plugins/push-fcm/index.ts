// Firebase Cloud Messaging HTTP v1 (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send).
// An OAuth2 access token is minted from the tenant's service-account key (an RS256 JWT sent to the
// key's token_uri, RFC 7523) and cached per service account until shortly before it expires; then
// POST /v1/projects/{project}/messages:send with one message per push token.
// FCM has no delivery receipts and no callbacks: its acceptance is final, so a send reports DELIVERED
// and the plugin has no parseWebhook. It has no idempotency key either: a retry after an ambiguous
// timeout may show twice, so each message carries a tag/collapse id derived from the idempotency key
// (the device replaces the first copy) and our send id in `data` for the app to dedupe.
import { createHash } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { z } from 'zod';
import { ProviderError, defineMessagePlugin, httpOptionsShape, httpUrl, type OutboundMessage, type PluginContext } from '../../src/channels/contract.ts';
import { bearerAuth, codeOf, errorCode, formRequest, joinUrl, jsonRequest, malformed, parseJsonBody, providerRequest, requirePushTokens, throwForClientError, type ProviderResponse } from '../../src/channels/kit/index.ts';

export const DEFAULT_BASE_URL = 'https://fcm.googleapis.com';
export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** A cached access token is replaced this long before Google's expiry. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** The fields of a Google service-account key file (JSON) that minting a token needs; others are dropped. */
export const serviceAccountSchema = z.object({
  type: z.literal('service_account').optional(),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1).optional(),
  private_key: z.string().includes('PRIVATE KEY', { message: 'a PKCS#8 PEM private key' }),
  client_email: z.email(),
  token_uri: httpUrl().optional(),
});

export const configSchema = z.object({
  /** The Firebase project's service-account key file; the whole document is a credential. */
  serviceAccount: serviceAccountSchema.meta({ writeOnly: true, description: 'Service-account key file (JSON) of the Firebase project' }),
  /** Sends to this project instead of the key file's project_id. */
  projectId: z.string().min(1).optional(),
  ...httpOptionsShape,
});
export type FcmConfig = z.infer<typeof configSchema>;
type ServiceAccount = FcmConfig['serviceAccount'];

interface CachedToken {
  accessToken: string;
  refreshAt: number;
}

const tokenCache = new Map<string, CachedToken>();
const minting = new Map<string, Promise<CachedToken>>();

function tokenUri(account: ServiceAccount): string {
  return account.token_uri ?? DEFAULT_TOKEN_URI;
}

/** Tokens are cached per service account and key, never per tenant: a replaced key mints anew. */
function cacheKey(account: ServiceAccount): string {
  return createHash('sha256').update(`${tokenUri(account)}\n${account.client_email}\n${account.private_key}`).digest('hex');
}

/** Shared by concurrent sends, so it takes no send's signal. */
async function mintToken(ctx: Pick<PluginContext<FcmConfig>, 'config' | 'outbound'>): Promise<CachedToken> {
  const account = ctx.config.serviceAccount;
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(account.private_key, 'RS256');
  } catch {
    throw new ProviderError('the service-account private key cannot be read', { retryable: false, reason: 'auth' });
  }
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope: FCM_SCOPE })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) })
    .setIssuer(account.client_email)
    .setAudience(tokenUri(account))
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
  const res = await providerRequest(ctx, tokenUri(account), formRequest('POST', {}, new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion })));
  if (res.status >= 400) {
    const code = errorCode(res, 'error');
    // invalid_grant (bad signature, clock skew, deleted key) and invalid_client (unknown or disabled account)
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new ProviderError(`Google refused the service-account credentials (${res.status}${code ? ` ${code}` : ''})`, {
        retryable: false,
        reason: 'auth',
        status: res.status,
      });
    }
    throwForClientError(res, () => code ?? '');
  }
  const body = parseJsonBody<{ access_token?: unknown; expires_in?: unknown }>(res);
  const expiresIn = Number(body?.expires_in);
  if (typeof body?.access_token !== 'string' || body.access_token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw malformed('the token endpoint answered without an access token', res.status);
  }
  const lifetimeMs = expiresIn * 1000;
  const refreshIn = lifetimeMs > 2 * TOKEN_REFRESH_MARGIN_MS ? lifetimeMs - TOKEN_REFRESH_MARGIN_MS : lifetimeMs / 2;
  return { accessToken: body.access_token, refreshAt: Date.now() + refreshIn };
}

/** A valid access token for the account: cached, or minted once even when many sends ask at the same time. */
async function accessToken(ctx: PluginContext<FcmConfig>, fresh: boolean): Promise<string> {
  const key = cacheKey(ctx.config.serviceAccount);
  const cached = tokenCache.get(key);
  if (!fresh && cached && cached.refreshAt > Date.now()) return cached.accessToken;
  if (fresh) tokenCache.delete(key);
  let pending = minting.get(key);
  if (!pending) {
    pending = mintToken({ config: ctx.config, outbound: ctx.outbound })
      .then((token) => {
        tokenCache.set(key, token);
        return token;
      })
      .finally(() => minting.delete(key));
    minting.set(key, pending);
  }
  return (await pending).accessToken;
}

/** Forgets every cached access token (key rotation, tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

interface GoogleError {
  httpStatus: number;
  status?: string;
  fcmCode?: string;
  tokenViolation: boolean;
}

function readGoogleError(res: ProviderResponse): GoogleError {
  const out: GoogleError = { httpStatus: res.status, tokenViolation: false };
  try {
    const body = JSON.parse(res.text) as { error?: { status?: unknown; details?: unknown } };
    const err = body?.error;
    out.status = codeOf(err?.status);
    for (const detail of Array.isArray(err?.details) ? (err.details as Array<Record<string, unknown>>) : []) {
      const type = typeof detail?.['@type'] === 'string' ? detail['@type'] : '';
      if (type.endsWith('google.firebase.fcm.v1.FcmError')) out.fcmCode = codeOf(detail['errorCode']);
      if (type.endsWith('google.rpc.BadRequest') && Array.isArray(detail['fieldViolations'])) {
        out.tokenViolation ||= (detail['fieldViolations'] as Array<{ field?: unknown }>).some((v) => v?.field === 'message.token');
      }
    }
  } catch {
    // a body that is not JSON: the HTTP status alone decides
  }
  return out;
}

function describeGoogleError(err: GoogleError): string {
  return [err.status, err.fcmCode].filter(Boolean).join('/');
}

/** The error for a refused message; the token itself never appears in the message. */
function errorFor(res: ProviderResponse): ProviderError {
  const err = readGoogleError(res);
  const detail = describeGoogleError(err);
  const dead = (why: string) => new ProviderError(`FCM: the push token is no longer valid (${why})`, { retryable: false, reason: 'invalid_recipient', status: res.status });
  // UNREGISTERED (404): the app was uninstalled or the token expired or rotated.
  if (err.fcmCode === 'UNREGISTERED' || (res.status === 404 && !err.fcmCode)) return dead(detail || '404');
  // The token belongs to another Firebase project.
  if (err.fcmCode === 'SENDER_ID_MISMATCH') return dead(detail);
  if (res.status === 400 && err.tokenViolation) return dead(`${detail || '400'} message.token`);
  if (err.fcmCode === 'THIRD_PARTY_AUTH_ERROR' || res.status === 401 || res.status === 403) {
    return new ProviderError(`FCM refused the credentials (${res.status}${detail ? ` ${detail}` : ''})`, { retryable: false, reason: 'auth', status: res.status });
  }
  try {
    throwForClientError(res, () => detail);
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  return new ProviderError(`FCM answered ${res.status}`, { retryable: false, reason: 'rejected', status: res.status });
}

/** A short, stable id per send for the device to collapse repeated deliveries (apns-collapse-id allows 64 bytes). */
export function collapseTag(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url').slice(0, 32);
}

export function buildMessage(token: string, message: { sendId: string; idempotencyKey: string; subject?: string | null; body: string }) {
  const tag = collapseTag(message.idempotencyKey);
  return {
    message: {
      token,
      notification: { ...(message.subject ? { title: message.subject } : {}), body: message.body },
      data: { send_id: message.sendId },
      android: { notification: { tag } },
      apns: { headers: { 'apns-collapse-id': tag } },
    },
  };
}

async function sendToToken(ctx: PluginContext<FcmConfig>, token: string, message: OutboundMessage): Promise<string> {
  const { config } = ctx;
  const project = config.projectId ?? config.serviceAccount.project_id;
  const url = joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, `/v1/projects/${encodeURIComponent(project)}/messages:send`);
  for (let attempt = 0; ; attempt++) {
    const bearer = await accessToken(ctx, attempt > 0);
    const headers = { authorization: bearerAuth(bearer), 'content-type': 'application/json; UTF-8' };
    const res = await providerRequest(ctx, url, jsonRequest('POST', headers, buildMessage(token, message)));
    // UNAUTHENTICATED without an FCM code: the access token expired or was revoked; mint once more.
    if (res.status === 401 && attempt === 0 && !readGoogleError(res).fcmCode) continue;
    if (res.status >= 400) throw errorFor(res);
    const answer = parseJsonBody<{ name?: unknown }>(res);
    if (typeof answer?.name !== 'string' || !/^projects\/[^/]+\/messages\/.+/.test(answer.name)) {
      throw malformed('FCM accepted the message but returned no message name', res.status);
    }
    return answer.name;
  }
}

export const plugin = defineMessagePlugin<FcmConfig>({
  id: 'push-fcm',
  channel: 'PUSH',
  displayName: 'Firebase Cloud Messaging',
  subprocessor: {
    name: 'Firebase Cloud Messaging',
    legalEntity: 'Google LLC (Google Ireland Limited as contracting party in the EEA)',
    purpose: 'Delivering push notifications to app installations',
    location: 'EU/US',
    transferMechanism: 'SCCs / EU-US Data Privacy Framework',
    dataCategories: ['push token', 'message content'],
  },
  recipientFields: ['pushTokens'],
  configSchema,
  // The project quota is 600,000 messages a minute and a recipient may have several tokens.
  rateLimit: { max: 100_000, perMs: 60_000 },

  async send(message, ctx) {
    const tokens = requirePushTokens(message.to);
    // Every token (device) gets its own message, and the send succeeds when any token accepted it;
    // its id is the first accepted message's name. When none accepted, a retryable error wins
    // (the whole send is tried again later), else the first dead token is reported, else the
    // first refusal. Dead tokens next to an accepted one are not reported: a success carries no error.
    const outcomes = await Promise.allSettled(tokens.map((token) => sendToToken(ctx, token, message)));
    const accepted = outcomes.find((o): o is PromiseFulfilledResult<string> => o.status === 'fulfilled');
    if (accepted) return { providerMessageId: accepted.value, status: 'DELIVERED' };
    const errors = outcomes.map((o) => (o as PromiseRejectedResult).reason as unknown);
    const providerErrors = errors.filter((e): e is ProviderError => e instanceof ProviderError);
    if (providerErrors.length < errors.length) throw errors.find((e) => !(e instanceof ProviderError));
    throw providerErrors.find((e) => e.retryable) ?? providerErrors.find((e) => e.reason === 'invalid_recipient') ?? providerErrors[0]!;
  },
});
