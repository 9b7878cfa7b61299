// Subscription clients for tests and the benchmark: graphql-ws over WebSocket and graphql-sse
// (distinct connections) over HTTP, each collecting events and how the stream ended.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

export const SEND_STATUS_CHANGED = `subscription Follow($tenantId: ID!, $sendId: ID, $campaignId: ID, $after: String) {
  sendStatusChanged(tenantId: $tenantId, sendId: $sendId, campaignId: $campaignId, after: $after) {
    status giftStatus at cursor channel provider reason send { id }
  }
}`;

export interface StatusEvent {
  status: string;
  giftStatus: string | null;
  at: string;
  cursor: string;
  channel: string;
  provider: string | null;
  reason: string | null;
  send: { id: string };
}

export interface StreamEnd {
  /** GraphQL errors the stream ended with (at start or later). */
  errors: Array<{ message: string; code?: string }>;
  /** WebSocket only: the close code and reason, when the server closed the connection. */
  closeCode?: number;
  closeReason?: string;
}

export interface Stream {
  events: StatusEvent[];
  ended: Promise<StreamEnd>;
  /** Resolves once `count` events have arrived (rejects if the stream ends before). */
  received(count: number): Promise<StatusEvent[]>;
  dispose(): void;
}

export type Transport = 'ws' | 'sse' | 'graphql-sse';

export interface FollowArgs {
  tenantId: string;
  sendId?: string;
  campaignId?: string;
  after?: string;
}

type Result = { data?: { sendStatusChanged: StatusEvent } | null; errors?: ReadonlyArray<{ message: string; extensions?: { code?: unknown } }> };

function collector() {
  const events: StatusEvent[] = [];
  const end: StreamEnd = { errors: [] };
  let finish!: (end: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((resolve) => (finish = resolve));
  let done = false;
  const waiters: Array<{ count: number; resolve: (e: StatusEvent[]) => void; reject: (err: Error) => void }> = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (events.length >= w.count) w.resolve(events.slice());
      else if (done) w.reject(new Error(`stream ended after ${events.length} of ${w.count} events: ${JSON.stringify(end)}`));
      else continue;
      waiters.splice(waiters.indexOf(w), 1);
    }
  };
  return {
    events,
    end,
    ended,
    next(result: Result) {
      for (const e of result.errors ?? []) end.errors.push({ message: e.message, code: typeof e.extensions?.code === 'string' ? e.extensions.code : undefined });
      if (result.data?.sendStatusChanged) events.push(result.data.sendStatusChanged);
      check();
    },
    finish() {
      if (done) return;
      done = true;
      finish(end);
      check();
    },
    received: (count: number) => new Promise<StatusEvent[]>((resolve, reject) => {
      waiters.push({ count, resolve, reject });
      check();
    }),
  };
}

/** Subscribes with `token` over the transport; `url` is the service's http://host:port. */
export function follow(transport: Transport, url: string, token: string | null, args: FollowArgs, query = SEND_STATUS_CHANGED): Stream {
  const c = collector();
  const payload = { query, variables: { ...args } };
  let dispose: () => void;
  if (transport === 'ws') {
    const client = createWsClient({
      url: `${url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          if (code !== 1000) Object.assign(c.end, { closeCode: code, closeReason: String(reason) });
          c.finish();
        },
      },
    });
    const unsubscribe = client.subscribe<StatusEvent>(payload, {
      next: (r) => c.next(r as Result),
      error: (err) => {
        if (Array.isArray(err)) c.next({ errors: err });
        c.finish();
      },
      complete: () => c.finish(),
    });
    dispose = () => {
      unsubscribe();
      void client.dispose();
    };
  } else {
    const client = createSseClient({
      url: `${url}${transport === 'sse' ? '/graphql' : '/graphql/stream'}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      singleConnection: false,
      retryAttempts: 0,
    });
    const unsubscribe = client.subscribe(payload, {
      next: (r) => c.next(r as Result),
      error: (err) => {
        // A refusal at start is an HTTP error whose body holds the GraphQL errors.
        const response = (err as { response?: Response }).response;
        void (response ? response.json().catch(() => ({})) : Promise.resolve({})).then((body: Result) => {
          if (body.errors?.length) c.next(body);
          else c.end.errors.push({ message: err instanceof Error ? err.message : JSON.stringify(err) });
          c.finish();
        });
      },
      complete: () => c.finish(),
    });
    dispose = () => {
      unsubscribe();
      client.dispose();
    };
  }
  return { events: c.events, ended: c.ended, received: c.received, dispose };
}
