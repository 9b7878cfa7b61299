import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { createInProcessEventBus } from '../events/bus.ts';
import { RequestReads } from '../privacy/audit.ts';
import { useResponseCache } from './response-cache.ts';

const SENDER: Principal = { actor: 'apikey:1', id: 'apikey:1', kind: 'apiKey', platformAdmin: false, memberships: new Map([['t1', 'SENDER']]) };

/** A server whose one field counts its executions, and may be held until released. */
function countingServer(principal: Principal = SENDER) {
  let clock = 0;
  let executions = 0;
  let gate: Promise<void> | undefined;
  let held = 0;
  let onHeld: (() => void) | undefined;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { n(page: Int): Int! }',
      resolvers: { Query: { n: async () => (gate && (held++, onHeld?.()), await gate, ++executions) } },
    }),
    plugins: [useResponseCache({ ttlMs: 1_000, maxEntries: 2, bus: createInProcessEventBus(), now: () => clock })],
    context: () => ({ principal, reads: new RequestReads({ record: async () => {} }) }),
  });
  const ask = async (page = 1) => {
    const res = await yoga.fetch('http://cache/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query($p: Int) { n(page: $p) }', variables: { p: page } }) });
    return ((await res.json()) as { data: { n: number } }).data.n;
  };
  return {
    ask,
    at: (ms: number) => void (clock = ms),
    /** Holds executions until `release`; `holding(n)` resolves once n of them are held. */
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      held = 0;
      return {
        holding: (n: number) =>
          new Promise<void>((resolve) => {
            onHeld = () => held >= n && resolve();
            onHeld();
          }),
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
  };
}

/** An answer half a lifetime past its time, and the one request executing the query again, held. */
async function refreshUnderWay() {
  const server = countingServer();
  expect(await server.ask()).toBe(1);
  server.at(1_500);
  const held = server.hold();
  const refreshing = server.ask();
  await held.holding(1);
  return { server, held, refreshing };
}

describe('useResponseCache', () => {
  it('serves an answer for its lifetime, then executes again', async () => {
    const server = countingServer();
    expect(await server.ask()).toBe(1);
    server.at(999);
    expect(await server.ask()).toBe(1);
    server.at(1_000);
    expect(await server.ask()).toBe(2);
  });

  it('keeps serving the old answer to others while one request executes the query again', async () => {
    const { server, held, refreshing } = await refreshUnderWay();
    expect(await server.ask()).toBe(1);
    held.release();
    expect(await refreshing).toBe(2);
    expect(await server.ask()).toBe(2);
  });

  it('serves an old answer for at most one more lifetime', async () => {
    const { server, held, refreshing } = await refreshUnderWay();
    // Past twice the lifetime nobody gets the old answer, refresh under way or not.
    server.at(2_000);
    const late = server.ask();
    await held.holding(2);
    held.release();
    expect([await refreshing, await late].sort()).toEqual([2, 3]);
  });

  it('keeps at most maxEntries answers, dropping the least recently served', async () => {
    const server = countingServer();
    expect([await server.ask(1), await server.ask(2), await server.ask(1), await server.ask(3)]).toEqual([1, 2, 1, 3]);
    expect(await server.ask(1)).toBe(1);
    expect(await server.ask(2)).toBe(4);
  });

  it('does not cache for platform admins, whose answers no tenant event could drop', async () => {
    const server = countingServer({ ...SENDER, platformAdmin: true, memberships: new Map() });
    expect([await server.ask(), await server.ask()]).toEqual([1, 2]);
  });
});
