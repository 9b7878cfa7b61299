// The Redis dispatch queue (BullMQ) for scale-out: the API process only enqueues, worker
// processes call startWorker. Jobs carry the send id only; the send row holds the rest.
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { errorFields, throttled, type Logger } from '../log.ts';
import { jobId, settleRunning, type DispatchHandler, type DispatchJob, type DispatchQueue } from './queue.ts';

const CHUNK = 1000;

interface JobData {
  sendId: string;
}

/** quit() queues behind a reconnect while Redis is away (for ever without a retry limit); drop the socket then. */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

export function createBullmqQueue(opts: {
  redisUrl: string;
  log: Logger;
  queueName?: string;
  prefix?: string;
  /**
   * How long a worker's hold on a job lasts without renewal (the dispatch lease): a killed
   * worker's jobs go back to waiting after about this long, not after BullMQ's own default.
   */
  lockMs: number;
}): DispatchQueue {
  const { log } = opts;
  const name = opts.queueName ?? 'sends';
  const onError = throttled(log, 'dispatch queue redis error');

  // Enqueueing happens inside API requests, so it must fail within a few retries while
  // Redis is away (the database sweeper re-enqueues what was missed). By default BullMQ
  // waits for the connection to be ready, without limit, and a failed startup version
  // check would break the queue for good; both are skipped for this connection.
  const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3 });
  producer.on('error', onError);
  const queue = new Queue<JobData>(name, {
    connection: producer,
    prefix: opts.prefix,
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  queue.on('error', onError);

  let worker: Worker<JobData> | null = null;
  let workerConnection: Redis | null = null;
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let closing: Promise<void> | null = null;

  async function closeWorker(w: Worker<JobData>, conn: Redis, graceMs: number): Promise<void> {
    // Stop fetching (local, no Redis call); a fetch already under way may still start one job.
    await w.pause(true);
    await settleRunning(running, abort, graceMs);
    // A graceful close waits for Redis without limit, so with Redis away the close is
    // forced; jobs it could not finish are recovered from the database.
    await w.close(conn.status !== 'ready');
  }

  return {
    driver: 'bullmq',

    async enqueue(jobs: DispatchJob[]): Promise<void> {
      // As in-process: after close the rows are still in the database for the sweeper.
      if (closing) return;
      const now = Date.now();
      for (let i = 0; i < jobs.length; i += CHUNK) {
        await queue.addBulk(
          jobs.slice(i, i + CHUNK).map((job) => ({
            name: 'dispatch',
            data: { sendId: job.sendId },
            opts: {
              // A job id already present (waiting, delayed or running) makes BullMQ skip the add.
              jobId: jobId(job),
              delay: job.runAt ? Math.max(0, job.runAt.getTime() - now) : 0,
              removeOnComplete: true,
              removeOnFail: true,
              attempts: 1,
            },
          })),
        );
      }
    },

    startWorker(handler: DispatchHandler, workerOpts: { concurrency: number }): void {
      if (worker) throw new Error('the dispatch worker is already started');
      if (closing) throw new Error('the dispatch queue is closed');
      // The worker runs its commands on this client and duplicates it for its blocking
      // fetch, which requires maxRetriesPerRequest null. Not lazyConnect: BullMQ would call
      // connect() once and, if Redis were away at that moment, stay broken.
      workerConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
      workerConnection.on('error', onError);
      worker = new Worker<JobData>(
        name,
        async (job: Job<JobData>) => {
          const task = (async () => {
            try {
              await handler(job.data.sendId, abort.signal);
            } catch (err) {
              // Logged, never retried here: the dispatcher enqueues the next attempt itself.
              log.error({ err: errorFields(err), sendId: job.data.sendId }, 'dispatch failed');
            }
          })();
          // Tracked here too, so close() can give handlers their grace without BullMQ's help.
          running.add(task);
          await task;
          running.delete(task);
        },
        {
          connection: workerConnection,
          prefix: opts.prefix,
          concurrency: workerOpts.concurrency,
          lockDuration: opts.lockMs,
          stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)),
        },
      );
      worker.on('error', onError);
    },

    async size(): Promise<number> {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },

    close(closeOpts: { graceMs?: number } = {}): Promise<void> {
      closing ??= (async () => {
        if (worker && workerConnection) await closeWorker(worker, workerConnection, closeOpts.graceMs ?? 5000);
        await queue.close();
        // BullMQ closes the connections it created, never the ones handed to it.
        for (const client of [producer, workerConnection]) {
          if (client) await closeClient(client);
        }
      })();
      return closing;
    },
  };
}
