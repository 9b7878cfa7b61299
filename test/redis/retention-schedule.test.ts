// The retention schedule on Redis: one BullMQ job scheduler however many workers register it,
// and its jobs run the sweep. Each test uses its own key prefix.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { bullmqSchedule } from '../../src/privacy/retention-schedule.ts';

const redisUrl = process.env.REDIS_URL!;
const log = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const admin = new Redis(redisUrl);
const prefix = `test-${randomUUID()}`;

afterAll(async () => {
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

describe('the retention schedule with Redis', () => {
  it('is registered once by many workers, and one of them sweeps each interval', async () => {
    let sweeps = 0;
    let swept!: () => void;
    const firstSweep = new Promise<void>((resolve) => (swept = resolve));
    const sweep = async () => {
      sweeps++;
      swept();
    };
    const workers = [1, 2, 3].map(() => bullmqSchedule({ redisUrl, prefix, intervalMs: 60_000, log }, sweep));
    await Promise.all(workers.map((w) => w.start()));
    // A scheduler produces its first job at once, then one per interval.
    await firstSweep;
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('retention', { connection, prefix });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => ({ key: s.key, every: s.every }))).toEqual([{ key: 'retention-sweep', every: 60_000 }]);
    await Promise.all(workers.map((w) => w.stop()));
    expect(sweeps).toBe(1);
    await queue.close();
    connection.disconnect();
  });
});
