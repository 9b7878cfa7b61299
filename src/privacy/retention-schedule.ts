// When retention runs: a timer in the embedded default; with Redis a BullMQ job scheduler,
// registered under one id however many workers upsert it, so each interval produces one job
// that one worker takes. The tenant claims in retention-sweep.ts guard against overlaps either way.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { errorFields, throttled, type Logger } from '../log.ts';

export interface RetentionSchedule {
  start(): Promise<void>;
  stop(): Promise<void>;
}

const QUEUE = 'retention';
const SCHEDULER_ID = 'retention-sweep';

/** Runs `sweep` now and then every `intervalMs`, never two at once in this process. */
export function timerSchedule(opts: { intervalMs: number; log: Logger }, sweep: () => Promise<unknown>): RetentionSchedule {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweep()
      .catch((err: unknown) => opts.log.error({ err: errorFields(err) }, 'retention sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs).unref();
      });
  };
  return {
    async start() {
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** A BullMQ job scheduler on the dispatch queue's Redis and prefix, and a worker that runs `sweep` for its jobs. */
export function bullmqSchedule(opts: { redisUrl: string; prefix: string; intervalMs: number; log: Logger }, sweep: () => Promise<unknown>): RetentionSchedule {
  const onError = throttled(opts.log, 'retention queue redis error');
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  let starting: Promise<void> | undefined;
  const clients: Redis[] = [];
  const client = (maxRetriesPerRequest: number | null) => {
    const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest });
    redis.on('error', onError);
    clients.push(redis);
    return redis;
  };
  return {
    start() {
      starting = (async () => {
        queue = new Queue(QUEUE, { connection: client(3), prefix: opts.prefix });
        queue.on('error', onError);
        await queue.upsertJobScheduler(SCHEDULER_ID, { every: opts.intervalMs }, { name: SCHEDULER_ID, opts: { removeOnComplete: true, removeOnFail: true } });
        // The worker's blocking fetch needs maxRetriesPerRequest null.
        worker = new Worker(QUEUE, () => sweep(), { connection: client(null), prefix: opts.prefix, concurrency: 1 });
        worker.on('error', onError);
        worker.on('failed', (_job, err) => opts.log.error({ err: errorFields(err) }, 'retention sweep failed'));
      })();
      return starting;
    },
    async stop() {
      // A stop during start waits for it, so nothing it opens is left behind.
      await starting?.catch(() => undefined);
      await worker?.close();
      await queue?.close();
      // BullMQ closes the connections it created, never the ones handed to it.
      for (const redis of clients.splice(0)) redis.disconnect();
    },
  };
}
