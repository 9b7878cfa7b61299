import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { jobId } from './queue.ts';
import { createInProcessQueue } from './queue-in-process.ts';

function logSink() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write: (chunk, _e, cb) => {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    }),
  );
  return { log, lines };
}

const silent = () => logSink().log;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check` holds, polling; fails the test after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('in-process dispatch queue', () => {
  it('builds job ids BullMQ accepts (no ":")', () => {
    expect(jobId({ sendId: '2b1c6f0e-4a5b-4c2d-9e8f-0a1b2c3d4e5f', attempt: 2 })).toBe(
      '2b1c6f0e-4a5b-4c2d-9e8f-0a1b2c3d4e5f-2',
    );
  });

  it('holds jobs until the worker starts and runs one attempt once', async () => {
    const queue = createInProcessQueue({ log: silent() });
    await queue.enqueue([
      { sendId: 'a', attempt: 0 },
      { sendId: 'a', attempt: 0 },
      { sendId: 'b', attempt: 0 },
    ]);
    await queue.enqueue([{ sendId: 'a', attempt: 0 }]);
    expect(await queue.size()).toBe(2);

    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    queue.startWorker(
      async (id) => {
        seen.push(id);
        await gate;
      },
      { concurrency: 2 },
    );
    // Still running: enqueueing the same attempt again does nothing, a new attempt is queued.
    await queue.enqueue([{ sendId: 'a', attempt: 0 }, { sendId: 'a', attempt: 1 }]);
    expect(await queue.size()).toBe(3);
    release();
    await until(async () => (await queue.size()) === 0);
    expect(seen.sort()).toEqual(['a', 'a', 'b']);
    await queue.close();
  });

  it('runs a delayed job after runAt, not before', async () => {
    const queue = createInProcessQueue({ log: silent() });
    let ranAt = 0;
    queue.startWorker(async () => void (ranAt = Date.now()), { concurrency: 1 });
    const runAt = new Date(Date.now() + 100);
    await queue.enqueue([{ sendId: 'later', attempt: 0, runAt }]);
    await sleep(40);
    expect(ranAt).toBe(0);
    expect(await queue.size()).toBe(1);
    await until(() => ranAt > 0);
    expect(ranAt).toBeGreaterThanOrEqual(runAt.getTime() - 1);
    await queue.close();
  });

  it('never runs more than `concurrency` handlers at once', async () => {
    const queue = createInProcessQueue({ log: silent() });
    let now = 0;
    let peak = 0;
    let done = 0;
    queue.startWorker(
      async () => {
        peak = Math.max(peak, ++now);
        await sleep(Math.random() * 3);
        now--;
        done++;
      },
      { concurrency: 3 },
    );
    await queue.enqueue(Array.from({ length: 60 }, (_, i) => ({ sendId: `s${i}`, attempt: 0 })));
    await until(() => done === 60);
    expect(peak).toBe(3);
    await queue.close();
  });

  it('logs a failing handler by error type only and keeps going', async () => {
    const { log, lines } = logSink();
    const queue = createInProcessQueue({ log });
    const ran: string[] = [];
    queue.startWorker(
      async (id) => {
        ran.push(id);
        if (id === 'bad') throw new TypeError('call +4915112345678 failed');
      },
      { concurrency: 1 },
    );
    await queue.enqueue([{ sendId: 'bad', attempt: 0 }, { sendId: 'good', attempt: 0 }]);
    await until(() => ran.length === 2);
    await until(async () => (await queue.size()) === 0);
    const failures = lines.filter((l) => l.msg === 'dispatch failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ err: { type: 'TypeError' }, sendId: 'bad' });
    expect(JSON.stringify(lines)).not.toContain('4915112345678');
    await queue.close();
  });

  it('close aborts a hanging handler after the grace and drops waiting jobs', async () => {
    const queue = createInProcessQueue({ log: silent() });
    let aborted = false;
    let started = 0;
    queue.startWorker(
      (_id, signal) => {
        started++;
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        });
      },
      { concurrency: 1 },
    );
    await queue.enqueue([
      { sendId: 'hang', attempt: 0 },
      { sendId: 'next', attempt: 0 },
      { sendId: 'later', attempt: 0, runAt: new Date(Date.now() + 60_000) },
    ]);
    await until(() => started === 1);
    const began = Date.now();
    await queue.close({ graceMs: 50 });
    expect(aborted).toBe(true);
    expect(Date.now() - began).toBeGreaterThanOrEqual(45);
    expect(started).toBe(1);
    expect(await queue.size()).toBe(0);
    // Closed: new jobs are not taken.
    await queue.enqueue([{ sendId: 'after', attempt: 0 }]);
    expect(await queue.size()).toBe(0);
  });

  it('close does not wait for the grace when handlers finish', async () => {
    const queue = createInProcessQueue({ log: silent() });
    let signal: AbortSignal | undefined;
    queue.startWorker(
      async (_id, s) => {
        signal = s;
        await sleep(10);
      },
      { concurrency: 1 },
    );
    await queue.enqueue([{ sendId: 'quick', attempt: 0 }]);
    await until(() => signal !== undefined);
    await queue.close({ graceMs: 60_000 });
    expect(signal!.aborted).toBe(false);
  });

  it('completes 10,000 jobs', async () => {
    const queue = createInProcessQueue({ log: silent() });
    const jobs = Array.from({ length: 10_000 }, (_, i) => ({ sendId: `s${i}`, attempt: 1 }));
    await queue.enqueue(jobs);
    await queue.enqueue(jobs); // all duplicates
    expect(await queue.size()).toBe(10_000);
    const seen = new Set<string>();
    let calls = 0;
    queue.startWorker(
      async (id) => {
        calls++;
        seen.add(id);
      },
      { concurrency: 16 },
    );
    await until(async () => (await queue.size()) === 0);
    expect(calls).toBe(10_000);
    expect(seen.size).toBe(10_000);
    await queue.close();
  });
});
