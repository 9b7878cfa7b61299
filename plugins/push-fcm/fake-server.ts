// A local stand-in for Google's OAuth2 token endpoint (POST /token, RFC 7523 JWT bearer grant,
// verified against the service account's public key) and FCM HTTP v1
// (POST /v1/projects/{project}/messages:send) with Google's error envelope and FcmError codes.
// FCM has no delivery callbacks, so emitCallback refuses.
// The facts it follows, and where it differs: ./PROVIDER.md.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { SendCalls, fakeBase, json as reply, jsonObject, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const MAX_MESSAGE_BYTES = 4096;

/** Tokens that make the fake answer with one of FCM's documented errors. */
export const FCM_TEST_TOKENS = {
  unregistered: 'fake-token:UNREGISTERED',
  senderIdMismatch: 'fake-token:SENDER_ID_MISMATCH',
  quotaExceeded: 'fake-token:QUOTA_EXCEEDED',
  unavailable: 'fake-token:UNAVAILABLE',
  internal: 'fake-token:INTERNAL',
  thirdPartyAuth: 'fake-token:THIRD_PARTY_AUTH_ERROR',
  /** Not a registration token at all (INVALID_ARGUMENT with a message.token field violation). */
  malformedToken: 'not a token',
} as const;

export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

export interface TokenRequest {
  clientEmail: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  granted: boolean;
}

export interface StoredPush {
  name: string;
  projectId: string;
  message: Record<string, unknown>;
}

export interface FakeFcm extends FakeProvider {
  /** Every call of the token endpoint, granted or not. */
  readonly tokenRequests: TokenRequest[];
  readonly messages: StoredPush[];
  /** Creates a service account with a fresh RSA key, as the Cloud console does, and returns its key file. */
  createServiceAccount(opts?: { projectId?: string; clientEmail?: string }): ServiceAccountKeyFile;
  /** Makes a token UNREGISTERED from now on (app uninstalled). */
  unregister(token: string): void;
  /** Revokes every access token issued so far (their next use answers 401 UNAUTHENTICATED). */
  revokeAccessTokens(): void;
}

export interface FcmFakeOptions {
  callbackUrl?: string;
  /** expires_in of issued access tokens; Google answers 3599. */
  tokenLifetimeSeconds?: number;
}

/** Google's answers are JSON in UTF-8. */
function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  reply(res, status, body, { 'content-type': 'application/json; charset=UTF-8', ...headers });
}

function googleError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  opts: { fcmCode?: string; fieldViolations?: Array<{ field: string; description: string }>; headers?: Record<string, string> } = {},
): void {
  const details: unknown[] = [];
  if (opts.fcmCode) details.push({ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: opts.fcmCode });
  if (opts.fieldViolations) details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: opts.fieldViolations });
  json(res, code, { error: { code, message, status, ...(details.length ? { details } : {}) } }, opts.headers);
}

const RESERVED_DATA_KEY = /^(from|message_type|google.*|gcm.*)$/;

/** Checks a Message the way FCM does; returns the INVALID_ARGUMENT text, or null when it is fine. */
function invalidMessage(message: Record<string, unknown>): string | null {
  const targets = ['token', 'topic', 'condition'].filter((k) => message[k] !== undefined);
  if (targets.length !== 1) return 'Exactly one of token, topic or condition must be set.';
  for (const k of targets) if (typeof message[k] !== 'string' || message[k] === '') return `Invalid value at 'message.${k}'.`;
  const data = message['data'];
  if (data !== undefined) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return "Invalid value at 'message.data'.";
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') return `Invalid value at 'message.data[0].value' (TYPE_STRING), ${JSON.stringify(value)}`;
      if (RESERVED_DATA_KEY.test(key)) return `Invalid data payload key: ${key}`;
    }
  }
  const notification = message['notification'];
  if (notification !== undefined) {
    if (!notification || typeof notification !== 'object') return "Invalid value at 'message.notification'.";
    for (const [key, value] of Object.entries(notification)) {
      if (!['title', 'body', 'image'].includes(key)) return `Invalid JSON payload received. Unknown name "${key}" at 'message.notification'.`;
      if (typeof value !== 'string') return `Invalid value at 'message.notification.${key}'.`;
    }
  }
  const apns = message['apns'] as { headers?: Record<string, unknown> } | undefined;
  if (apns?.headers) {
    for (const [key, value] of Object.entries(apns.headers)) if (typeof value !== 'string') return `Invalid value at 'message.apns.headers[${key}]'.`;
    const collapse = apns.headers['apns-collapse-id'];
    if (typeof collapse === 'string' && Buffer.byteLength(collapse) > 64) return 'apns-collapse-id must not exceed 64 bytes.';
  }
  const android = message['android'] as { notification?: Record<string, unknown> } | undefined;
  if (android?.notification && android.notification['tag'] !== undefined && typeof android.notification['tag'] !== 'string') {
    return "Invalid value at 'message.android.notification.tag'.";
  }
  return null;
}

export async function startFcmFake(opts: FcmFakeOptions = {}): Promise<FakeFcm> {
  const accounts = new Map<string, { projectId: string; keyId: string; publicKey: KeyObject }>();
  const accessTokens = new Map<string, { clientEmail: string; projectId: string; expiresAt: number }>();
  const unregistered = new Set<string>([FCM_TEST_TOKENS.unregistered]);
  const tokenRequests: TokenRequest[] = [];
  const messages: StoredPush[] = [];
  const calls = new SendCalls();
  const lifetime = opts.tokenLifetimeSeconds ?? 3599;
  let baseUrl = '';

  async function token(call: FakeCall, res: ServerResponse): Promise<void> {
    if (!(call.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request', error_description: 'Bad Request' });
    }
    const form = new URLSearchParams(call.body);
    if (form.get('grant_type') !== JWT_BEARER_GRANT) {
      return json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}` });
    }
    const assertion = form.get('assertion') ?? '';
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      claims = decodeJwt(assertion) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT.' });
    }
    const clientEmail = typeof claims['iss'] === 'string' ? claims['iss'] : '';
    const record: TokenRequest = { clientEmail, header, claims, granted: false };
    tokenRequests.push(record);
    const account = accounts.get(clientEmail);
    if (!account) return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (header['kid'] !== undefined && header['kid'] !== account.keyId) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }
    try {
      await jwtVerify(assertion, account.publicKey, { algorithms: ['RS256'], audience: `${baseUrl}/token`, issuer: clientEmail });
    } catch {
      return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    }
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(claims['iat']);
    const exp = Number(claims['exp']);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || Math.abs(iat - now) > 300) {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      });
    }
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    if (!scopes.includes(FCM_SCOPE)) return json(res, 400, { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' });
    const accessToken = `ya29.c.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(accessToken, { clientEmail, projectId: account.projectId, expiresAt: Date.now() + lifetime * 1000 });
    record.granted = true;
    return json(res, 200, { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' });
  }

  function send(call: FakeCall, res: ServerResponse, projectId: string): void {
    const bearer = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    const grant = bearer ? accessTokens.get(bearer) : undefined;
    if (!grant || grant.expiresAt <= Date.now()) {
      return googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    if (grant.projectId !== projectId) {
      return googleError(res, 403, 'PERMISSION_DENIED', `Permission 'cloudmessaging.messages.create' denied on resource (or it may not exist).`);
    }
    const body = jsonObject(call.body);
    if (!(call.headers['content-type'] ?? '').startsWith('application/json') || !body) {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const unknown = Object.keys(body).find((k) => !['message', 'validate_only', 'validateOnly'].includes(k));
    if (unknown) return googleError(res, 400, 'INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
    const message = body['message'];
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', { fcmCode: 'INVALID_ARGUMENT' });
    }
    const msg = message as Record<string, unknown>;
    const problem = invalidMessage(msg);
    if (problem) return googleError(res, 400, 'INVALID_ARGUMENT', problem, { fcmCode: 'INVALID_ARGUMENT' });
    if (Buffer.byteLength(JSON.stringify(msg)) > MAX_MESSAGE_BYTES) {
      // FCM answers "message too big" without an FcmError detail.
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    }
    const target = msg['token'];
    if (typeof target === 'string') {
      if (/\s/.test(target) || target.length > 4096) {
        return googleError(res, 400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', {
          fcmCode: 'INVALID_ARGUMENT',
          fieldViolations: [{ field: 'message.token', description: 'The registration token is not a valid FCM registration token' }],
        });
      }
      if (unregistered.has(target)) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.', { fcmCode: 'UNREGISTERED' });
      if (target === FCM_TEST_TOKENS.senderIdMismatch) return googleError(res, 403, 'PERMISSION_DENIED', 'SenderId mismatch', { fcmCode: 'SENDER_ID_MISMATCH' });
      if (target === FCM_TEST_TOKENS.quotaExceeded) {
        return googleError(res, 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric.', { fcmCode: 'QUOTA_EXCEEDED', headers: { 'retry-after': '60' } });
      }
      if (target === FCM_TEST_TOKENS.unavailable) {
        return googleError(res, 503, 'UNAVAILABLE', 'The service is currently unavailable.', { fcmCode: 'UNAVAILABLE', headers: { 'retry-after': '10' } });
      }
      if (target === FCM_TEST_TOKENS.internal) return googleError(res, 500, 'INTERNAL', 'Internal error encountered.', { fcmCode: 'INTERNAL' });
      if (target === FCM_TEST_TOKENS.thirdPartyAuth) {
        return googleError(res, 401, 'UNAUTHENTICATED', 'Auth error from APNS or Web Push Service', { fcmCode: 'THIRD_PARTY_AUTH_ERROR' });
      }
    }
    if (body['validate_only'] === true || body['validateOnly'] === true) {
      return json(res, 200, { name: `projects/${projectId}/messages/fake_message_id` });
    }
    const name = `projects/${projectId}/messages/0:${Date.now()}%${randomBytes(8).toString('hex')}`;
    messages.push({ name, projectId, message: msg });
    return json(res, 200, { name });
  }

  async function handle(call: FakeCall, res: ServerResponse): Promise<void> {
    const { url } = call;
    if (call.method === 'POST' && url.pathname === '/token') return token(call, res);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(url.pathname);
    if (!match) return googleError(res, 404, 'NOT_FOUND', 'Not Found');
    if (call.method !== 'POST') return googleError(res, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    const failure = calls.take(call);
    if (failure === 'hang') return; // never answers; the socket is destroyed on close()
    if (failure === 'rate_limit') {
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', { fcmCode: 'QUOTA_EXCEEDED', headers: { 'retry-after': '30' } });
    }
    if (failure === 'server_error') return googleError(res, 500, 'INTERNAL', 'Internal error encountered.', { fcmCode: 'INTERNAL' });
    if (failure === 'malformed') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"name": "projects/');
    if (failure === 'html') return void res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end('<!DOCTYPE html><html lang=en><title>Error</title><p>Please try again later.</p>');
    return send(call, res, decodeURIComponent(match[1]!));
  }

  const server = await startFakeServer(handle);
  baseUrl = server.baseUrl;
  let accountCounter = 0;

  return {
    ...fakeBase(server, calls),
    tokenRequests,
    messages,
    createServiceAccount(o = {}) {
      accountCounter++;
      const projectId = o.projectId ?? 'fake-project-1a2b3';
      const clientEmail = o.clientEmail ?? `sender-${accountCounter}@${projectId}.iam.gserviceaccount.com`;
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyId = randomBytes(20).toString('hex');
      accounts.set(clientEmail, { projectId, keyId, publicKey });
      return {
        type: 'service_account',
        project_id: projectId,
        private_key_id: keyId,
        private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        client_email: clientEmail,
        client_id: String(100000000000000000000n + BigInt(accountCounter)),
        auth_uri: `${baseUrl}/o/oauth2/auth`,
        token_uri: `${baseUrl}/token`,
        auth_provider_x509_cert_url: `${baseUrl}/oauth2/v1/certs`,
        client_x509_cert_url: `${baseUrl}/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
        universe_domain: 'googleapis.com',
      };
    },
    unregister(token) {
      unregistered.add(token);
    },
    revokeAccessTokens() {
      accessTokens.clear();
    },
    holds: (providerId) => messages.some((m) => m.name === providerId),
    async emitCallback() {
      throw new Error('FCM HTTP v1 has no delivery callbacks');
    },
  };
}
