// A local stand-in for api.46elks.com: POST /a1/sms (form-encoded, Basic auth), GET and DELETE
// /a1/sms/{id}, and form-encoded delivery reports to each message's `whendelivered` URL.
// The facts it follows, and where it differs: ./PROVIDER.md.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import type { LocalFake } from '../../src/channels/contract.ts';
import { basicAuth } from '../../src/channels/kit/index.ts';
import type { Elks46Config } from './index.ts';
import { SendCalls, fakeBase, json, reply, startFakeServer, type FakeCall, type FakeFailure, type FakeProvider } from '../../test/kit/fake-http.ts';

export const FAKE_46ELKS_USERNAME = 'u0123456789abcdef0123456789abcdef';
export const FAKE_46ELKS_PASSWORD = 'fake-46elks-api-password';
const REPORT_ATTEMPTS = 6;
const REPORT_RETRY_MS = 200;

interface StoredSms {
  id: string;
  status: 'created' | 'sent' | 'delivered' | 'failed';
  direction: 'outgoing';
  from: string;
  to: string;
  message?: string;
  created: string;
  delivered?: string;
  parts: number;
  cost: number;
  whendelivered?: string;
}

export interface Fake46elks extends FakeProvider {
  readonly messages: Map<string, StoredSms>;
  /** Answers every send this way until the given time (an outage), then recovers. */
  failUntil(mode: FakeFailure, until: Date): void;
}

export interface Fake46elksOptions {
  callbackUrl?: string;
  /** Reports each accepted SMS as delivered to its whendelivered URL after this delay, as the network would. */
  autoDeliverAfterMs?: number;
  /** Connections the report sender opens at most (64 unless set). */
  reportConnections?: number;
  /** Told of each request the fake answers, e.g. to print it. */
  onRequest?: (line: string) => void;
}

/** 46elks-style timestamp: UTC, microseconds, no zone suffix. */
export function elksTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, -1)}000`;
}

function countParts(text: string): number {
  const gsm = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z_a-zÄÖÑÜ§¿äöñüàéùìòÇØøÅåÆæßÉ£¥]*$/.test(text);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

/** 46elks answers errors as short plain text. */
function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  reply(res, status, 'text/plain; charset=utf-8', body, headers);
}

export async function start46elksFake(opts: Fake46elksOptions = {}): Promise<Fake46elks> {
  const messages = new Map<string, StoredSms>();
  const calls = new SendCalls();
  let outage: { mode: FakeFailure; until: number } | null = null;
  const expectedAuth = basicAuth(FAKE_46ELKS_USERNAME, FAKE_46ELKS_PASSWORD);

  function handle(call: FakeCall, res: ServerResponse): void {
    const { body, url, headers } = call;
    const path = url.pathname.toLowerCase();
    const isSend = call.method === 'POST' && path === '/a1/sms';
    opts.onRequest?.(`${call.method} ${url.pathname}`);
    if (outage && Date.now() >= outage.until) outage = null;
    // During an outage every send fails that way, and the queued failures wait.
    if (isSend && outage) calls.record(call);
    const failure = isSend ? (outage?.mode ?? calls.take(call)) : undefined;
    if (failure === 'hang') return; // never answers; the socket is destroyed on close()
    if (failure === 'rate_limit') return text(res, 429, 'Too many requests', { 'retry-after': '2' });
    if (failure === 'server_error') return text(res, 500, 'Internal Server Error');
    if (failure === 'malformed') return reply(res, 200, 'application/json', '{"id": "s0bad", "status": ');
    if (failure === 'html') return reply(res, 200, 'text/html', '<!doctype html><html><body><h1>Maintenance</h1></body></html>');

    if (headers.authorization !== expectedAuth) return text(res, 401, 'Authentication failed');

    if (isSend) {
      if (!(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return text(res, 415, 'Content-Type must be application/x-www-form-urlencoded');
      }
      const form = new URLSearchParams(body);
      for (const key of ['from', 'to', 'message']) if (!form.get(key)) return text(res, 400, `Missing key ${key}`);
      const from = form.get('from')!;
      const to = form.get('to')!;
      const message = form.get('message')!;
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return text(res, 400, 'Invalid to number');
      if (!/^(?:[A-Za-z][A-Za-z0-9]{2,10}|\+[1-9]\d{6,14})$/.test(from)) return text(res, 400, 'Invalid from');
      const whendelivered = form.get('whendelivered') ?? undefined;
      if (whendelivered !== undefined && !URL.canParse(whendelivered)) return text(res, 400, 'Invalid whendelivered');
      const parts = countParts(message);
      const dontlog = form.get('dontlog') === 'message';
      if (form.get('dryrun') === 'yes') {
        return json(res, 200, { status: 'created', direction: 'outgoing', from, to, ...(dontlog ? {} : { message }), parts, estimated_cost: parts * 5000 });
      }
      const sms: StoredSms = {
        id: `s${randomBytes(16).toString('hex')}`,
        status: 'created',
        direction: 'outgoing',
        from,
        to,
        ...(dontlog ? {} : { message }),
        created: elksTimestamp(),
        parts,
        cost: parts * 5000,
        whendelivered,
      };
      messages.set(sms.id, sms);
      if (opts.autoDeliverAfterMs !== undefined && whendelivered) {
        setTimeout(() => {
          sms.status = 'delivered';
          sms.delivered = elksTimestamp();
          postReport(whendelivered, { id: sms.id, status: 'delivered', delivered: sms.delivered }).catch(() => undefined);
        }, opts.autoDeliverAfterMs).unref();
      }
      const { whendelivered: _hidden, ...publicView } = sms;
      return json(res, 200, { ...publicView, ...(dontlog ? { dontlog: 'message' } : {}) });
    }

    const byId = /^\/a1\/sms\/([^/]+)$/.exec(path);
    if (byId && call.method === 'GET') {
      const sms = messages.get(decodeURIComponent(url.pathname.split('/').pop()!));
      if (!sms) return text(res, 404, 'Not found');
      const { whendelivered: _hidden, ...publicView } = sms;
      return json(res, 200, publicView);
    }
    if (byId && call.method === 'DELETE') {
      const id = decodeURIComponent(url.pathname.split('/').pop()!);
      if (!messages.delete(id)) return text(res, 404, 'Not found');
      res.writeHead(204).end();
      return;
    }
    return text(res, 404, 'Not found');
  }

  const server = await startFakeServer(handle);

  // 46elks sends reports from a bounded pool of connections; a burst of reports then
  // queues instead of opening one socket per report.
  const reportAgent = new Agent({ connections: opts.reportConnections ?? 64 });
  let closed = false;

  /** Posts one delivery report; 46elks retries anything but 200–204, network errors included. */
  async function postReport(target: string, fields: Record<string, string>): Promise<void> {
    for (let attempt = 0; attempt < REPORT_ATTEMPTS && !closed; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, REPORT_RETRY_MS * 2 ** (attempt - 1)));
      try {
        const res = await request(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
          dispatcher: reportAgent,
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode <= 204) return;
      } catch {
        // Refused, reset or timed out: tried again like any other failure.
      }
    }
  }

  return {
    ...fakeBase(server, calls),
    messages,
    holds: (providerId) => messages.has(providerId),
    failUntil(mode, until) {
      outage = { mode, until: until.getTime() };
    },
    async emitCallback(providerId, outcome) {
      if (outcome === 'redeemed') throw new Error('46elks sends SMS; it has no gift callbacks');
      const sms = messages.get(providerId);
      if (!sms) throw new Error('unknown SMS id');
      const target = sms.whendelivered ?? opts.callbackUrl;
      if (!target) return;
      sms.status = 'sent';
      await postReport(target, { id: sms.id, status: 'sent' });
      if (outcome === 'delivered') {
        sms.status = 'delivered';
        sms.delivered = elksTimestamp();
        await postReport(target, { id: sms.id, status: 'delivered', delivered: sms.delivered });
      } else {
        sms.status = 'failed';
        await postReport(target, { id: sms.id, status: 'failed' });
      }
    },
    async close() {
      closed = true;
      await server.close();
      await reportAgent.destroy();
    },
  };
}

/** What `npm run plugin:fake -- sms-46elks` starts: reports each SMS delivered 200 ms after accepting it. */
export const localFake: LocalFake<Elks46Config, Fake46elks> = {
  start: ({ onRequest }) => start46elksFake({ autoDeliverAfterMs: 200, onRequest }),
  config: (fake) => ({ username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Fake46elks', baseUrl: fake.baseUrl }),
};
