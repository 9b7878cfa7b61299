// A local stand-in for Lekab's SMS REST Web Service: POST /restsms/lekabrest/send with JSON
// (credentials in the body, or Basic / X-Lekab-* headers) and delivery reports sent as GET
// with query parameters to the account's callback URL, timestamps in Swedish local time.
// Lekab's field lists are not public: the answers here are partly guessed (./PROVIDER.md).
import type { ServerResponse } from 'node:http';
import { SendCalls, fakeBase, json, jsonObject, reply, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

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

function error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: message }, headers);
}

/** Credentials from the body, Basic auth, or the Base64 X-Lekab-Userid / X-Lekab-Password headers. */
function credentials(headers: Record<string, string>, body: Record<string, unknown>): [unknown, unknown] {
  const basic = /^Basic (.+)$/i.exec(headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const user = headers['x-lekab-userid'];
  const pass = headers['x-lekab-password'];
  if (typeof user === 'string' && typeof pass === 'string') {
    return [Buffer.from(user, 'base64').toString('utf8'), Buffer.from(pass, 'base64').toString('utf8')];
  }
  return [body.username, body.password];
}

export async function startLekabFake(opts: { callbackUrl?: string } = {}): Promise<FakeLekab> {
  const messages = new Map<string, StoredSms>();
  const calls = new SendCalls();
  let nextId = 1363257;

  function handle(call: FakeCall, res: ServerResponse): void {
    if (call.method !== 'POST' || call.url.pathname !== '/restsms/lekabrest/send') return error(res, 404, 'Not found');
    const failure = calls.take(call);
    if (failure === 'hang') return;
    if (failure === 'rate_limit') return error(res, 429, 'Too many requests', { 'retry-after': '3' });
    if (failure === 'server_error') return error(res, 503, 'Service temporarily unavailable');
    if (failure === 'malformed') return reply(res, 200, 'application/json', '{"accepted":[{"to":');
    if (failure === 'html') return reply(res, 200, 'text/html;charset=utf-8', '<html><body><h1>LEKAB</h1><p>Service page</p></body></html>');

    if (!/^(application\/json|text\/plain)/.test(call.headers['content-type'] ?? '')) return error(res, 415, 'Unsupported media type');
    const body = jsonObject(call.body);
    if (!body) return error(res, 400, 'Request body is not a JSON document');
    const [user, pass] = credentials(call.headers, body);
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
    return json(res, 200, { accepted, rejected });
  }

  const server = await startFakeServer(handle);

  return {
    ...fakeBase(server, calls),
    messages,
    holds: (providerId) => messages.has(providerId),
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
  };
}
