// A local stand-in for Lekab's SMS REST Web Service: POST /restsms/lekabrest/send with JSON
// (credentials in the body, or Basic / X-Lekab-* headers) and delivery reports sent as GET
// with query parameters to the account's callback URL, timestamps in Swedish local time.
// Lekab's field lists are not public: the answers here are partly guessed (./PROVIDER.md).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFailure, FakeProvider } from '../../src/channels/conformance-types.ts';
import { readBody } from '../../src/channels/fake-http.ts';

export const FAKE_LEKAB_USERNAME = 'fakeshop';
export const FAKE_LEKAB_PASSWORD = 'fake-lekab-password';

interface StoredSms {
  id: string;
  from: string;
  to: string;
  message: string;
}

export interface FakeLekab extends FakeProvider {
  readonly messages: Map<string, StoredSms>;
}

/** YYYY-MM-ddTHH:mm:ss in Swedish local time, as Lekab's callbacks carry it by default. */
export function lekabTimestamp(date = new Date()): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

function reply(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers }).end(body);
}

function error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  reply(res, status, 'application/json', JSON.stringify({ error: message }), headers);
}

/** Credentials from the body, Basic auth, or the Base64 X-Lekab-Userid / X-Lekab-Password headers. */
function credentials(req: IncomingMessage, body: Record<string, unknown>): [unknown, unknown] {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const user = req.headers['x-lekab-userid'];
  const pass = req.headers['x-lekab-password'];
  if (typeof user === 'string' && typeof pass === 'string') {
    return [Buffer.from(user, 'base64').toString('utf8'), Buffer.from(pass, 'base64').toString('utf8')];
  }
  return [body.username, body.password];
}

export async function startLekabFake(opts: { callbackUrl?: string } = {}): Promise<FakeLekab> {
  const messages = new Map<string, StoredSms>();
  const received: Array<{ method: string; path: string; headers: Record<string, string>; body: string }> = [];
  const failures: FakeFailure[] = [];
  let nextId = 1363257;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    if (req.method !== 'POST' || url.pathname !== '/restsms/lekabrest/send') return error(res, 404, 'Not found');
    received.push({ method: req.method, path: url.pathname + url.search, headers, body: raw });

    if (failures.length > 0) {
      const failure = failures.shift()!;
      if (failure === 'hang') return;
      if (failure === 'rate_limit') return error(res, 429, 'Too many requests', { 'retry-after': '3' });
      if (failure === 'server_error') return error(res, 503, 'Service temporarily unavailable');
      if (failure === 'malformed') return reply(res, 200, 'application/json', '{"accepted":[{"to":');
      return reply(res, 200, 'text/html;charset=utf-8', '<html><body><h1>LEKAB</h1><p>Service page</p></body></html>');
    }

    const contentType = req.headers['content-type'] ?? '';
    if (!/^(application\/json|text\/plain)/.test(contentType)) return error(res, 415, 'Unsupported media type');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return error(res, 400, 'Request body is not a JSON document');
    }
    const [user, pass] = credentials(req, body);
    if (user !== FAKE_LEKAB_USERNAME || pass !== FAKE_LEKAB_PASSWORD) return error(res, 401, 'Invalid username or password');

    for (const key of ['from', 'to', 'message']) {
      if (body[key] === undefined || body[key] === '') return error(res, 400, `Missing mandatory parameter: ${key}`);
    }
    if (typeof body.from !== 'string' || typeof body.message !== 'string') return error(res, 400, 'Invalid parameter type');
    if (!Array.isArray(body.to) || body.to.length === 0 || !body.to.every((t) => typeof t === 'string')) {
      return error(res, 400, 'Parameter to must be a list of numbers');
    }
    const accepted: Array<{ to: string; id: string }> = [];
    const rejected: Array<{ to: string; reason: string }> = [];
    for (const number of body.to as string[]) {
      const digits = number.replace(/^\+/, '');
      if (!/^[1-9]\d{7,14}$/.test(digits)) {
        rejected.push({ to: digits, reason: 'Invalid number' });
        continue;
      }
      const sms: StoredSms = { id: String(nextId++), from: body.from, to: digits, message: body.message };
      messages.set(sms.id, sms);
      accepted.push({ to: digits, id: sms.id });
    }
    return reply(res, 200, 'application/json', JSON.stringify({ accepted, rejected }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) error(res, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    messages,
    received,
    failNext(mode, count = 1) {
      for (let i = 0; i < count; i++) failures.push(mode);
    },
    async emitCallback(providerId, outcome) {
      if (outcome === 'redeemed') throw new Error('Lekab sends SMS; it has no gift callbacks');
      const sms = messages.get(providerId);
      if (!sms) throw new Error('unknown message id');
      if (!opts.callbackUrl) return;
      const [status, statusmessage] = outcome === 'delivered' ? ['Delivered', 'DELIVRD'] : ['Failed', 'UNDELIV'];
      const query = new URLSearchParams({ id: sms.id, from: sms.from, to: sms.to, status, statusmessage, timestamp: lekabTimestamp() });
      const target = `${opts.callbackUrl}${opts.callbackUrl.includes('?') ? '&' : '?'}${query.toString()}`;
      const res = await fetch(target, { method: 'GET' });
      await res.arrayBuffer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
