// What the plugins' fake provider servers share: a loopback server that reads each body with
// the service's own reader, the failure queue every fake answers from, and small responders.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../src/http/read-body.ts';

export type FakeFailure = 'rate_limit' | 'server_error' | 'hang' | 'malformed' | 'html';

/** A request as a fake saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** A running local fake of a provider's HTTP API, listening on 127.0.0.1. */
export interface FakeProvider {
  /** e.g. http://127.0.0.1:43123, handed to the plugin as config.baseUrl. */
  baseUrl: string;
  /** Makes the next `count` (default 1) send/issue calls answer this way. */
  failNext(mode: FakeFailure, count?: number): void;
  /** Every send/issue request the fake accepted or refused, raw, for assertions. */
  readonly received: ReadonlyArray<ReceivedRequest>;
  /** Whether the id, as the plugin returned it, names a message or coupon this fake accepted. */
  holds(providerId: string): boolean;
  /**
   * Calls back as the real provider would (signed where the provider signs) for a message or
   * gift it accepted: to the callback URL it was given with the send, or the account-level one
   * given at start. Resolves once the callbacks were answered.
   */
  emitCallback(providerId: string, outcome: 'delivered' | 'failed' | 'redeemed'): Promise<void>;
  close(): Promise<void>;
}

/** One request to a fake, read whole. */
export interface FakeCall extends ReceivedRequest {
  /** The request URL, parsed (its host is a placeholder). */
  url: URL;
}

export interface FakeServer {
  baseUrl: string;
  /** Ends open connections too, so hung requests end. */
  close(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1 (a free port); a handler that throws answers 500. */
export async function startFakeServer(handle: (call: FakeCall, res: ServerResponse) => void | Promise<void>): Promise<FakeServer> {
  const server = createServer((req, res) => {
    const answer = async () => {
      const body = (await readBody(req)) ?? '';
      const url = new URL(req.url ?? '/', 'http://fake');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      await handle({ method: req.method ?? 'GET', path: url.pathname + url.search, headers, body, url }, res);
    };
    answer().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The send/issue calls a fake received, and the failures it was told to answer the next ones with. */
export class SendCalls {
  readonly received: ReceivedRequest[] = [];
  private readonly failures: FakeFailure[] = [];

  failNext(mode: FakeFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(mode);
  }

  record({ method, path, headers, body }: FakeCall): void {
    this.received.push({ method, path, headers, body });
  }

  /** Records the call; returns the failure to answer it with, if one is due. */
  take(call: FakeCall): FakeFailure | undefined {
    this.record(call);
    return this.failures.shift();
  }
}

/** The parts of a FakeProvider every fake has alike: its address, the send calls it recorded, failNext and close. */
export function fakeBase(server: FakeServer, calls: SendCalls): Pick<FakeProvider, 'baseUrl' | 'received' | 'failNext' | 'close'> {
  return { baseUrl: server.baseUrl, received: calls.received, failNext: (mode, count) => calls.failNext(mode, count), close: server.close };
}

export function reply(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers }).end(body);
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  reply(res, status, 'application/json', JSON.stringify(body), headers);
}

/** A JSON object body, or null when the body is not one. */
export function jsonObject(raw: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
