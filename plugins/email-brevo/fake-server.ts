// A local stand-in for api.brevo.com (v3): POST /v3/smtp/email with the `api-key` header and
// body idempotency (`headers.idempotencyKey`, 30 minutes), GET /v3/smtp/emails (the transactional
// log), DELETE /v3/smtp/log/{identifier}, and transactional webhook events (snake_case `event`
// names, `message-id` with angle brackets, optional `Authorization: Bearer`) posted to the
// account-level webhook URL. The facts it follows, and where it differs: ./PROVIDER.md.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SendCalls, fakeBase, json as reply, jsonObject, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

export const FAKE_BREVO_API_KEY = 'xkeysib-0f1e2d3c4b5a69788796a5b4c3d2e1f0-FakeKey01';
/** The id Brevo gives the webhook itself (constant per webhook, not per message). */
export const FAKE_BREVO_WEBHOOK_ID = 482913;
const IDEMPOTENCY_TTL_MS = 30 * 60_000;

export interface StoredBrevoEmail {
  messageId: string;
  uuid: string;
  email: string;
  name?: string;
  from: string;
  subject: string;
  textContent?: string;
  htmlContent?: string;
  tags: string[];
  mailinCustom?: string;
  createdAt: Date;
}

export interface BrevoFakeOptions {
  callbackUrl?: string;
  /** When set, webhook calls carry `Authorization: Bearer <token>`. */
  webhookToken?: string;
  /** Post webhook events as arrays (a webhook created with `batched: true`). */
  batched?: boolean;
  /** How a repeated idempotency key is answered: Brevo's `duplicate_request` error, or the original 201. */
  duplicateMode?: 'reject' | 'replay';
}

export interface FakeBrevo extends FakeProvider {
  readonly emails: Map<string, StoredBrevoEmail>;
  /** Identifiers passed to DELETE /v3/smtp/log/{identifier}, decoded. */
  readonly deletions: string[];
  /** While true, accepted e-mails do not show in GET /v3/smtp/emails yet (Brevo's log lags). */
  hideFromLog: boolean;
  /** Posts one event of Brevo's payload type (e.g. `soft_bounce`) for an accepted e-mail. */
  emitEvent(providerId: string, event: string, extra?: Record<string, unknown>): Promise<void>;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/** Brevo's answers are JSON in UTF-8. */
function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  reply(res, status, body, { 'content-type': 'application/json; charset=utf-8', ...headers });
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { code, message });
}

/** Brevo's webhook `date`: `YYYY-MM-DD HH:mm:ss` in Paris time (CET/CEST). */
export function brevoDate(date: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

function isRecipient(value: unknown): value is { email: string; name?: string } {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return typeof r['email'] === 'string' && (r['name'] === undefined || typeof r['name'] === 'string');
}

export async function startBrevoFake(opts: BrevoFakeOptions = {}): Promise<FakeBrevo> {
  const emails = new Map<string, StoredBrevoEmail>();
  const idempotency = new Map<string, { at: number; answer: unknown }>();
  const deletions: string[] = [];
  const calls = new SendCalls();
  const state = { hideFromLog: false };

  function sendEmail(call: FakeCall, res: ServerResponse): void {
    if (!(call.headers['content-type'] ?? '').startsWith('application/json')) {
      return error(res, 406, 'not_acceptable', 'Content-Type must be application/json');
    }
    const body = jsonObject(call.body);
    if (!body) return error(res, 400, 'bad_request', 'Input must be a valid JSON object');
    const templateId = body['templateId'];
    const sender = body['sender'] as Record<string, unknown> | undefined;
    if (templateId === undefined && (!sender || typeof sender !== 'object')) return error(res, 400, 'missing_parameter', 'sender is missing');
    if (sender && sender['id'] === undefined) {
      if (typeof sender['email'] !== 'string') return error(res, 400, 'missing_parameter', 'sender email is missing');
      if (!EMAIL.test(sender['email'])) return error(res, 400, 'invalid_parameter', 'sender email is not valid');
      if (sender['name'] !== undefined && (typeof sender['name'] !== 'string' || sender['name'].length > 70)) {
        return error(res, 400, 'invalid_parameter', 'sender name is not valid');
      }
    }
    const to = body['to'];
    if (!Array.isArray(to) || to.length === 0) return error(res, 400, 'missing_parameter', 'to is missing');
    if (!to.every(isRecipient)) return error(res, 400, 'invalid_parameter', 'to is not valid');
    if (!to.every((r) => EMAIL.test(r.email))) return error(res, 400, 'invalid_parameter', 'email is not valid in to');
    if (templateId === undefined) {
      if (typeof body['subject'] !== 'string' || body['subject'] === '') return error(res, 400, 'missing_parameter', 'subject is missing');
      const html = body['htmlContent'];
      const text = body['textContent'];
      if ((typeof html !== 'string' || html === '') && (typeof text !== 'string' || text === '')) {
        return error(res, 400, 'missing_parameter', 'htmlContent is missing');
      }
    }
    const tags = body['tags'];
    if (tags !== undefined && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) {
      return error(res, 400, 'invalid_parameter', 'tags must be an array of strings');
    }
    const headers = body['headers'];
    if (headers !== undefined && (!headers || typeof headers !== 'object' || Array.isArray(headers))) {
      return error(res, 400, 'invalid_parameter', 'headers must be an object');
    }
    const customHeaders = (headers ?? {}) as Record<string, unknown>;
    const key = customHeaders['idempotencyKey'];
    if (key !== undefined) {
      if (typeof key !== 'string' || !UUID.test(key)) return error(res, 400, 'invalid_parameter', 'idempotencyKey must be a UUID');
      const seen = idempotency.get(key);
      if (seen && Date.now() - seen.at < IDEMPOTENCY_TTL_MS) {
        if (opts.duplicateMode === 'replay') return json(res, 201, seen.answer);
        return error(res, 400, 'duplicate_request', 'Request already processed');
      }
    }
    const [first] = to as Array<{ email: string; name?: string }>;
    const messageId = `<${new Date().toISOString().replace(/\D/g, '').slice(0, 12)}.${randomInt(1e11, 1e12 - 1)}@smtp-relay.mailin.fr>`;
    emails.set(messageId, {
      messageId,
      uuid: randomUUID(),
      email: first!.email,
      name: first!.name,
      from: typeof sender?.['email'] === 'string' ? sender['email'] : '',
      subject: typeof body['subject'] === 'string' ? body['subject'] : '',
      textContent: typeof body['textContent'] === 'string' ? body['textContent'] : undefined,
      htmlContent: typeof body['htmlContent'] === 'string' ? body['htmlContent'] : undefined,
      tags: (tags as string[] | undefined) ?? [],
      mailinCustom: typeof customHeaders['X-Mailin-custom'] === 'string' ? customHeaders['X-Mailin-custom'] : undefined,
      createdAt: new Date(),
    });
    const answer = { messageId };
    if (typeof key === 'string') idempotency.set(key, { at: Date.now(), answer });
    return json(res, 201, answer);
  }

  function listEmails(url: URL, res: ServerResponse): void {
    const email = url.searchParams.get('email');
    const messageId = url.searchParams.get('messageId');
    const templateId = url.searchParams.get('templateId');
    if (!email && !messageId && !templateId) {
      return error(res, 400, 'missing_parameter', 'email, templateId or messageId is mandatory');
    }
    const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 500));
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const since = Date.now() - 30 * 86_400_000;
    let list = state.hideFromLog ? [] : [...emails.values()];
    list = list.filter(
      (e) =>
        e.createdAt.getTime() >= since &&
        (!email || e.email.toLowerCase() === email.toLowerCase()) &&
        (!messageId || e.messageId === messageId || e.messageId === `<${messageId}>`),
    );
    list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (url.searchParams.get('sort') !== 'asc') list.reverse();
    const page = list.slice(offset, offset + limit);
    return json(res, 200, {
      count: list.length,
      transactionalEmails: page.map((e) => ({
        email: e.email,
        subject: e.subject,
        messageId: e.messageId,
        uuid: e.uuid,
        date: e.createdAt.toISOString(),
        from: e.from,
        tags: e.tags,
      })),
    });
  }

  function deleteLogs(identifier: string, res: ServerResponse): void {
    const byMessageId = MESSAGE_ID.test(identifier);
    if (!byMessageId && !EMAIL.test(identifier)) {
      return error(res, 400, 'invalid_parameter', 'identifier must be a message id or an email address');
    }
    deletions.push(identifier);
    for (const [id, stored] of emails) {
      if (byMessageId ? id === identifier : stored.email.toLowerCase() === identifier.toLowerCase()) emails.delete(id);
    }
    res.writeHead(204).end();
  }

  function handle(call: FakeCall, res: ServerResponse): void {
    const { url } = call;
    const isSend = call.method === 'POST' && url.pathname === '/v3/smtp/email';
    const failure = isSend ? calls.take(call) : undefined;
    if (failure === 'hang') return; // never answers; the socket is destroyed on close()
    if (failure === 'rate_limit') {
      return json(res, 429, { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' }, {
        'x-sib-ratelimit-limit': '1000',
        'x-sib-ratelimit-remaining': '0',
        'x-sib-ratelimit-reset': '1',
      });
    }
    if (failure === 'server_error') return error(res, 500, 'internal_error', 'Internal Server Error');
    if (failure === 'malformed') return void res.writeHead(201, { 'content-type': 'application/json' }).end('{"messageId": "<2024');
    if (failure === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');

    if (call.headers['api-key'] !== FAKE_BREVO_API_KEY) return error(res, 401, 'unauthorized', 'Key not found');

    if (isSend) return sendEmail(call, res);
    if (call.method === 'GET' && url.pathname === '/v3/smtp/emails') return listEmails(url, res);
    const log = /^\/v3\/smtp\/log\/([^/]+)$/.exec(url.pathname);
    if (log && call.method === 'DELETE') return deleteLogs(decodeURIComponent(log[1]!), res);
    if (['/v3/smtp/email', '/v3/smtp/emails'].includes(url.pathname)) return error(res, 405, 'method_not_allowed', 'Method not allowed');
    return error(res, 404, 'document_not_found', 'Not found');
  }

  const server = await startFakeServer(handle);

  /** An accepted e-mail by its Message-ID, with or without Brevo's angle brackets. */
  const stored = (providerId: string) => emails.get(providerId) ?? emails.get(`<${providerId}>`);

  function find(providerId: string): StoredBrevoEmail {
    const email = stored(providerId);
    if (!email) throw new Error('unknown Brevo message id');
    return email;
  }

  async function post(event: Record<string, unknown>): Promise<void> {
    if (!opts.callbackUrl) return;
    const res = await fetch(opts.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.webhookToken ? { authorization: `Bearer ${opts.webhookToken}` } : {}),
      },
      body: JSON.stringify(opts.batched ? [event] : event),
    });
    await res.arrayBuffer();
  }

  function eventFor(stored: StoredBrevoEmail, event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const now = new Date();
    return {
      event,
      email: stored.email,
      id: FAKE_BREVO_WEBHOOK_ID,
      date: brevoDate(now),
      ts: Math.floor(now.getTime() / 1000),
      'message-id': stored.messageId,
      ts_event: Math.floor(now.getTime() / 1000),
      ts_epoch: now.getTime(),
      subject: stored.subject,
      tags: stored.tags,
      ...(stored.mailinCustom ? { 'X-Mailin-custom': stored.mailinCustom } : {}),
      sending_ip: '1.179.112.10',
      contact_id: 0,
      mirror_link: `https://app-smtp.brevo.com/log/preview/${randomBytes(8).toString('hex')}`,
      ...extra,
    };
  }

  return {
    ...fakeBase(server, calls),
    emails,
    deletions,
    get hideFromLog() {
      return state.hideFromLog;
    },
    set hideFromLog(value: boolean) {
      state.hideFromLog = value;
    },
    holds: (providerId) => stored(providerId) !== undefined,
    async emitCallback(providerId, outcome) {
      if (outcome === 'redeemed') throw new Error('Brevo sends e-mail; it has no gift callbacks');
      const stored = find(providerId);
      if (outcome === 'delivered') return post(eventFor(stored, 'delivered'));
      return post(eventFor(stored, 'hard_bounce', { reason: '550 5.1.1 Recipient address rejected: user unknown' }));
    },
    async emitEvent(providerId, event, extra) {
      await post(eventFor(find(providerId), event, extra));
    },
  };
}
