// Wakes readers of the event log when a writer commits new events. The bus carries only
// (tenant, position): the log is the truth, so a lost wake-up delays a reader, never loses an
// event. In-process by default; over Redis pub/sub when REDIS_URL is set, so an event written
// by a worker wakes subscribers on every API process.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

export interface EventBus {
  /** Tells the tenant's readers that the log holds events up to `position`. Never throws. */
  publish(tenantId: string, position: bigint): void | Promise<void>;
  /** Calls `onWake` on every publication for the tenant; returns the unsubscribe function. */
  subscribe(tenantId: string, onWake: (position: bigint) => void): () => void;
  close(): Promise<void>;
}

/** Passed to readers when the highest position is not known: above any real one, so they read. */
export const UNKNOWN_POSITION = 2n ** 63n - 1n;

/** Local listeners by tenant, shared by both implementations. */
class Listeners {
  private readonly byTenant = new Map<string, Set<(position: bigint) => void>>();

  add(tenantId: string, onWake: (position: bigint) => void): () => void {
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(onWake);
    return () => {
      set.delete(onWake);
      if (set.size === 0 && this.byTenant.get(tenantId) === set) this.byTenant.delete(tenantId);
    };
  }

  wake(tenantId: string, position: bigint): void {
    for (const onWake of this.byTenant.get(tenantId) ?? []) onWake(position);
  }

  /** After a gap in delivery (a Redis reconnect): every reader re-reads the log. */
  wakeAll(): void {
    for (const set of this.byTenant.values()) for (const onWake of set) onWake(UNKNOWN_POSITION);
  }

  clear(): void {
    this.byTenant.clear();
  }
}

export function createInProcessEventBus(): EventBus {
  const listeners = new Listeners();
  return {
    // Writers never run readers' code: the wake-up happens after the writer's own turn.
    publish: (tenantId, position) => queueMicrotask(() => listeners.wake(tenantId, position)),
    subscribe: (tenantId, onWake) => listeners.add(tenantId, onWake),
    close: async () => listeners.clear(),
  };
}

export interface RedisEventBusOptions {
  /** Publishes; the bus subscribes on its own duplicate of this connection. */
  redis: Redis;
  prefix: string;
  log: Logger;
}

/**
 * One Redis channel per deployment, subscribed once when the bus starts, rather than one per
 * tenant on demand: a per-tenant SUBSCRIBE would be confirmed only after a round trip, and a
 * reader that read the log in between could miss the wake-up for an event committed meanwhile.
 * Messages are "<tenantId> <position>", a few dozen bytes, fanned out to local readers here.
 */
export function createRedisEventBus({ redis, prefix, log }: RedisEventBusOptions): EventBus {
  const channel = `${prefix}events`;
  const listeners = new Listeners();
  const subscriber = redis.duplicate();
  let subscribed = false;
  subscriber.on('error', () => {}); // the publishing connection reports Redis errors
  subscriber.on('ready', () => {
    // Messages published while the subscription was down are gone: readers re-read the log.
    if (subscribed) listeners.wakeAll();
    subscribed = true;
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const [tenantId, position] = message.split(' ');
    if (tenantId && position && /^\d+$/.test(position)) listeners.wake(tenantId, BigInt(position));
  });
  void subscriber.subscribe(channel).catch((err: Error) => log.warn({ err: { message: err.message } }, 'event bus subscription failed; readers wake on reconnect'));
  return {
    async publish(tenantId, position) {
      try {
        await redis.publish(channel, `${tenantId} ${position}`);
      } catch (err) {
        // The event is committed; readers catch up on the next wake-up for the tenant.
        log.warn({ err: { message: (err as Error).message } }, 'event bus publish failed');
      }
    },
    subscribe: (tenantId, onWake) => listeners.add(tenantId, onWake),
    async close() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}

/** Publishes the highest position written per tenant. */
export function publishWritten(bus: Pick<EventBus, 'publish'>, written: Iterable<{ tenantId: string; position: bigint }>): void {
  const highest = new Map<string, bigint>();
  for (const { tenantId, position } of written) if ((highest.get(tenantId) ?? -1n) < position) highest.set(tenantId, position);
  for (const [tenantId, position] of highest) void bus.publish(tenantId, position);
}
