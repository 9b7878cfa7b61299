// A local stand-in for api.sendgrid.com: POST /v3/mail/send (Bearer API key, JSON, 202 with an empty
// body and X-Message-Id) and the Signed Event Webhook: JSON arrays of events posted to the
// account-level webhook URL, signed with ECDSA P-256 over timestamp + body
// (X-Twilio-Email-Event-Webhook-Signature / -Timestamp).
// The facts it follows, and where it differs: ./PROVIDER.md.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearerAuth } from '../../src/channels/kit/index.ts';
import { SendCalls, fakeBase, json, jsonObject, reply, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

export const FAKE_SENDGRID_API_KEY = 'SG.fakeKeyId0123456789.fakeSecret-abcdefghijklmnopqrstuvwxyz0123456';

export interface StoredSendGridMessage {
  id: string;
  recipients: string[];
  from: string;
  subject?: string;
  customArgs: Record<string, string>;
  categories: string[];
  body: Record<string, unknown>;
}

export interface SendGridFakeOptions {
  callbackUrl?: string;
}

export interface FakeSendGrid extends FakeProvider {
  readonly messages: Map<string, StoredSendGridMessage>;
  /** The Event Webhook verification key as SendGrid shows it: base64 DER SubjectPublicKeyInfo. */
  readonly webhookPublicKey: string;
  /** Posts one signed batch of events (each merged over a message's common event fields). */
  emitEvents(providerId: string, events: Array<Record<string, unknown>>): Promise<void>;
  /** Signs a body the way SendGrid does, for tests that build their own requests. */
  signBody(rawBody: string, timestamp?: string): { signature: string; timestamp: string };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;

function errors(res: ServerResponse, status: number, list: Array<{ message: string; field?: string | null }>): void {
  const help = (field: string | null | undefined) => (field ? `http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.${field}` : null);
  json(res, status, { errors: list.map((e) => ({ message: e.message, field: e.field ?? null, help: help(e.field) })) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Validates a Mail Send body the way the v3 API documents it; returns the first problems found. */
function validate(body: Record<string, unknown>): Array<{ message: string; field: string }> {
  const problems: Array<{ message: string; field: string }> = [];
  const personalizations = body['personalizations'];
  const template = typeof body['template_id'] === 'string';
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    problems.push({ message: 'The personalizations field is required and must have at least one personalization.', field: 'personalizations' });
  } else if (personalizations.length > 1000) {
    problems.push({ message: 'The personalizations field cannot have more than 1000 personalizations.', field: 'personalizations' });
  } else {
    let total = 0;
    personalizations.forEach((p: unknown, i) => {
      if (!isObject(p)) return problems.push({ message: 'Each personalization must be an object.', field: `personalizations.${i}` });
      const seen = new Set<string>();
      for (const kind of ['to', 'cc', 'bcc'] as const) {
        const list = p[kind];
        if (list === undefined && kind !== 'to') continue;
        if (!Array.isArray(list) || (kind === 'to' && list.length === 0)) {
          problems.push({ message: `The ${kind} array is required for all personalization objects, and must have at least one email object with a valid email address.`, field: `personalizations.${i}.${kind}` });
          continue;
        }
        list.forEach((r: unknown, j) => {
          total++;
          const email = isObject(r) && typeof r['email'] === 'string' ? r['email'] : '';
          if (!EMAIL.test(email)) problems.push({ message: 'Does not contain a valid address.', field: `personalizations.${i}.${kind}.${j}.email` });
          else if (seen.has(email.toLowerCase())) {
            problems.push({ message: 'Each email address in the personalization block should be unique between to, cc, and bcc.', field: `personalizations.${i}.${kind}.${j}.email` });
          }
          seen.add(email.toLowerCase());
        });
      }
      const args = p['custom_args'];
      if (args !== undefined && (!isObject(args) || !Object.values(args).every((v) => typeof v === 'string'))) {
        problems.push({ message: 'Custom args must be string key-value pairs.', field: `personalizations.${i}.custom_args` });
      }
      if (!template && typeof body['subject'] !== 'string' && typeof p['subject'] !== 'string') {
        problems.push({ message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', field: 'subject' });
      }
    });
    if (total > 1000) problems.push({ message: 'The total number of recipients must be no more than 1000.', field: 'personalizations' });
  }
  const from = body['from'];
  if (!isObject(from) || typeof from['email'] !== 'string' || !EMAIL.test(from['email'])) {
    problems.push({ message: 'The from email does not contain a valid address.', field: 'from.email' });
  }
  const content = body['content'];
  if (!template) {
    if (!Array.isArray(content) || content.length === 0) {
      problems.push({ message: 'Unless a valid template_id is provided, the content parameter is required.', field: 'content' });
    } else {
      content.forEach((c: unknown, i) => {
        if (!isObject(c) || typeof c['type'] !== 'string' || typeof c['value'] !== 'string' || c['value'].length === 0) {
          problems.push({ message: 'The content value must be a string at least one character in length.', field: `content.${i}.value` });
        }
      });
      const types = content.map((c: unknown) => (isObject(c) ? c['type'] : undefined));
      if (types.includes('text/plain') && types.indexOf('text/plain') !== 0) {
        problems.push({ message: 'If present, text/plain content must be first.', field: 'content.0.type' });
      }
    }
  }
  const categories = body['categories'];
  if (categories !== undefined && (!Array.isArray(categories) || categories.length > 10 || !categories.every((c) => typeof c === 'string' && c.length <= 255))) {
    problems.push({ message: 'Too many categories, or a category is not a string of at most 255 characters.', field: 'categories' });
  }
  return problems;
}

/** A message id in the current SendGrid form: 22 characters of URL-safe base64. */
function newMessageId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

export async function startSendGridFake(opts: SendGridFakeOptions = {}): Promise<FakeSendGrid> {
  const messages = new Map<string, StoredSendGridMessage>();
  const calls = new SendCalls();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const webhookPublicKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

  function handle(call: FakeCall, res: ServerResponse): void {
    const { url, headers } = call;
    const isSend = call.method === 'POST' && url.pathname === '/v3/mail/send';
    const failure = isSend ? calls.take(call) : undefined;
    if (failure === 'hang') return; // never answers; the socket is destroyed on close()
    if (failure === 'rate_limit') {
      const reset = String(Math.floor(Date.now() / 1000) + 1);
      const limits = { 'retry-after': '1', 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
      return json(res, 429, { errors: [{ field: null, message: 'too many requests' }] }, limits);
    }
    if (failure === 'server_error') return errors(res, 503, [{ message: 'Service Unavailable' }]);
    if (failure === 'malformed') return reply(res, 202, 'application/json', '{"errors": [');
    if (failure === 'html') return reply(res, 200, 'text/html', '<html><head><title>Captive portal</title></head><body>Sign in</body></html>');

    if (headers.authorization !== bearerAuth(FAKE_SENDGRID_API_KEY)) {
      return errors(res, 401, [{ message: 'The provided authorization grant is invalid, expired, or revoked' }]);
    }
    if (!isSend) {
      if (url.pathname === '/v3/mail/send') return errors(res, 405, [{ message: 'Method not allowed' }]);
      return errors(res, 404, [{ message: 'not found' }]);
    }
    if (!(headers['content-type'] ?? '').startsWith('application/json')) {
      return errors(res, 415, [{ message: 'Content-Type should be application/json.' }]);
    }
    const body = jsonObject(call.body);
    if (!body) return errors(res, 400, [{ message: 'Bad Request', field: null }]);
    const problems = validate(body);
    if (problems.length > 0) return errors(res, 400, problems);

    const personalizations = body['personalizations'] as Array<Record<string, unknown>>;
    const id = newMessageId();
    messages.set(id, {
      id,
      recipients: personalizations.flatMap((p) => (p['to'] as Array<{ email: string }>).map((r) => r.email)),
      from: (body['from'] as { email: string }).email,
      subject: typeof body['subject'] === 'string' ? body['subject'] : undefined,
      customArgs: {
        ...((body['custom_args'] as Record<string, string> | undefined) ?? {}),
        ...((personalizations[0]!['custom_args'] as Record<string, string> | undefined) ?? {}),
      },
      categories: (body['categories'] as string[] | undefined) ?? [],
      body,
    });
    res.writeHead(202, { 'x-message-id': id, 'content-length': '0' }).end();
  }

  const server = await startFakeServer(handle);

  function signBody(rawBody: string, timestamp = String(Math.floor(Date.now() / 1000))): { signature: string; timestamp: string } {
    const signature = sign('sha256', Buffer.from(timestamp + rawBody, 'utf8'), { key: privateKey as KeyObject, dsaEncoding: 'der' }).toString('base64');
    return { signature, timestamp };
  }

  function common(stored: StoredSendGridMessage): Record<string, unknown> {
    return {
      email: stored.recipients[0],
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': `<${stored.id}@geopod-ismtpd-4-0>`,
      sg_event_id: randomBytes(16).toString('base64url').slice(0, 22),
      sg_message_id: `${stored.id}.filterdrecv-5645d9c87f-x2b7q-1-6650C1E4-2B.0`,
      ...(stored.categories.length ? { category: stored.categories } : {}),
      ...stored.customArgs,
    };
  }

  async function emitEvents(providerId: string, events: Array<Record<string, unknown>>): Promise<void> {
    const stored = messages.get(providerId);
    if (!stored) throw new Error('unknown SendGrid message id');
    if (!opts.callbackUrl) return;
    const rawBody = JSON.stringify(events.map((e) => ({ ...common(stored), ...e })));
    const { signature, timestamp } = signBody(rawBody);
    const res = await fetch(opts.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'SendGrid Event API',
        'x-twilio-email-event-webhook-signature': signature,
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
      body: rawBody,
    });
    await res.arrayBuffer();
  }

  return {
    ...fakeBase(server, calls),
    messages,
    webhookPublicKey,
    signBody,
    emitEvents,
    holds: (providerId) => messages.has(providerId),
    async emitCallback(providerId, outcome) {
      if (outcome === 'redeemed') throw new Error('SendGrid sends e-mail; it has no gift callbacks');
      const processed = { event: 'processed' };
      if (outcome === 'delivered') {
        return emitEvents(providerId, [processed, { event: 'delivered', response: '250 2.0.0 OK', ip: '168.245.1.1', tls: 1 }]);
      }
      return emitEvents(providerId, [
        processed,
        { event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist.', bounce_classification: 'Invalid Address' },
      ]);
    },
  };
}
