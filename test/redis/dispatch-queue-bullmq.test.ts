// The BullMQ dispatch queue and the Redis rate limiter against a real Redis. Every test
// uses its own key prefix, so runs can share one server.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { DispatchQueue } from '../../src/sends/queue.ts';
import { createBullmqQueue } from '../../src/sends/queue-bullmq.ts';
import { createRedisRateLimiter } from '../../src/sends/rate-limiter.ts';

const redisUrl = process.env.REDIS_URL!;
const log = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const admin = new Redis(redisUrl);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function busiestSpan(times: number[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= spanMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const opened: DispatchQueue[] = [];
const prefixes: string[] = [];

function newPrefix() {
  const prefix = `test-${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

function open(prefix: string) {
  const queue = createBullmqQueue({ redisUrl, log, prefix, lockMs: 30_000 });
  opened.push(queue);
  return queue;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((q) => q.close({ graceMs: 100 })));
  for (const prefix of prefixes.splice(0)) {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length) await admin.del(...keys);
  }
});

afterAll(async () => {
  await admin.quit();
});

describe('BullMQ dispatch queue', () => {
  it('runs each job once across two worker processes', async () => {
    const prefix = newPrefix();
    const a = open(prefix);
    const b = open(prefix);
    const handled: string[] = [];
    const byWorker = { a: 0, b: 0 };
    const handler = (who: 'a' | 'b') => async (sendId: string) => {
      handled.push(sendId);
      byWorker[who]++;
      await sleep(Math.random() * 5);
    };
    const jobs = Array.from({ length: 300 }, (_, i) => ({ sendId: randomUUID(), attempt: i % 3 }));
    // Both "processes" enqueue, overlapping: the overlap is queued once. (Before the workers
    // start, since a finished job's id may be queued again, by design.)
    await Promise.all([a.enqueue(jobs.slice(0, 200)), b.enqueue(jobs.slice(100))]);
    expect(await a.size()).toBe(300);
    a.startWorker(handler('a'), { concurrency: 4 });
    b.startWorker(handler('b'), { concurrency: 4 });
    await until(() => handled.length >= 300);
    await until(async () => (await a.size()) === 0);
    await sleep(100);
    expect(handled).toHaveLength(300);
    expect(new Set(handled).size).toBe(300);
    expect(byWorker.a + byWorker.b).toBe(300);
  });

  it('ignores an attempt that is already queued or running', async () => {
    const prefix = newPrefix();
    const queue = open(prefix);
    const job = { sendId: randomUUID(), attempt: 1 };
    await queue.enqueue([job, job]);
    await queue.enqueue([job]);
    expect(await queue.size()).toBe(1);
    await queue.enqueue([{ ...job, attempt: 2 }]);
    expect(await queue.size()).toBe(2);

    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    queue.startWorker(
      async (sendId) => {
        runs.push(sendId);
        await gate;
      },
      { concurrency: 2 },
    );
    await until(() => runs.length === 2);
    await queue.enqueue([job]); // running now
    release();
    await until(async () => (await queue.size()) === 0);
    await sleep(100);
    expect(runs).toEqual([job.sendId, job.sendId]);
  });

  it('keeps a delayed job until its time', async () => {
    const queue = open(newPrefix());
    let ranAt = 0;
    queue.startWorker(async () => void (ranAt = Date.now()), { concurrency: 1 });
    const runAt = new Date(Date.now() + 300);
    await queue.enqueue([{ sendId: randomUUID(), attempt: 0, runAt }]);
    await sleep(100);
    expect(ranAt).toBe(0);
    expect(await queue.size()).toBe(1);
    await until(() => ranAt > 0);
    expect(ranAt).toBeGreaterThanOrEqual(runAt.getTime() - 5);
  });

  it('close aborts a hanging handler after the grace and leaves the queue empty', async () => {
    const prefix = newPrefix();
    const queue = createBullmqQueue({ redisUrl, log, prefix, lockMs: 30_000 });
    let started = false;
    let aborted = false;
    queue.startWorker(
      (_sendId, signal) =>
        new Promise<void>((resolve) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      { concurrency: 1 },
    );
    await queue.enqueue([{ sendId: randomUUID(), attempt: 0 }]);
    await until(() => started);
    const began = Date.now();
    await queue.close({ graceMs: 150 });
    expect(aborted).toBe(true);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    // The handled job was completed and removed, not left active for a stalled check.
    const probe = open(prefix);
    expect(await probe.size()).toBe(0);
  });

  it('with Redis unreachable, enqueue fails fast and close still finishes', async () => {
    // Nothing listens on port 1; the workers would reconnect for ever.
    const queue = createBullmqQueue({ redisUrl: 'redis://127.0.0.1:1', log, prefix: newPrefix(), lockMs: 30_000 });
    queue.startWorker(async () => {}, { concurrency: 1 });
    await expect(queue.enqueue([{ sendId: randomUUID(), attempt: 0 }])).rejects.toThrow();
    const began = Date.now();
    await queue.close({ graceMs: 100 });
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it('an enqueue-only queue (the API process) closes without a worker', async () => {
    const queue = createBullmqQueue({ redisUrl, log, prefix: newPrefix(), lockMs: 30_000 });
    await queue.enqueue([{ sendId: randomUUID(), attempt: 0 }]);
    expect(await queue.size()).toBe(1);
    await queue.close();
  });
});

describe('Redis rate limiter', () => {
  it('two processes sharing Redis stay within the limit together', async () => {
    const prefix = newPrefix();
    const clients = [new Redis(redisUrl), new Redis(redisUrl)];
    try {
      const limiters = clients.map((c) => createRedisRateLimiter(c, prefix));
      const limit = { max: 5, perMs: 1000 };
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          limiters[i % 2].acquire('channel:x', limit).then(() => times.push(Date.now())),
        ),
      );
      times.sort((x, y) => x - y);
      expect(times).toHaveLength(10);
      // Two windows of one second (less timer slack); each window opens at its first call,
      // so a span somewhat shorter than the window never holds more than max.
      expect(times[9] - times[0]).toBeGreaterThanOrEqual(950);
      expect(busiestSpan(times, 750)).toBe(5);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
});
