// The dispatch queue: carries send ids from whoever decides a send is due to the
// dispatcher. Two drivers share this interface: in-process (embedded default) and BullMQ
// (Redis, for scale-out). The send row in the database stays the source of truth; the
// queue only says "look at this send now".
import { errorFields, type Logger } from '../log.ts';

export interface DispatchJob {
  sendId: string;
  /** The send's attempt number; the job id is built from `sendId` and `attempt` so one attempt is queued once. */
  attempt: number;
  /** Not before this time (scheduled sends, retry backoff). Absent or past = now. */
  runAt?: Date | null;
}

/** Dispatches one send. Errors are logged by the queue, never retried by it: the send row holds the retry state and the dispatcher enqueues the next attempt itself. */
export type DispatchHandler = (sendId: string, signal: AbortSignal) => Promise<void>;

export interface DispatchQueue {
  readonly driver: 'in-process' | 'bullmq';
  enqueue(jobs: DispatchJob[]): Promise<void>;
  /** Starts consuming in this process with `concurrency` handlers at once. */
  startWorker(handler: DispatchHandler, opts: { concurrency: number }): void;
  /** Jobs waiting or delayed plus running (for tests, health and benchmarks). */
  size(): Promise<number>;
  /** Stops taking jobs, aborts the signal of running handlers after `graceMs` (default 5000) and waits for them, then closes connections. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

// BullMQ 6.7 refuses custom job ids holding a ':' (unless they split into exactly three
// parts, a legacy repeatable-job format), so the separator is '-'. A uuid followed by
// '-' and a number is still unambiguous.
export const jobId = (job: Pick<DispatchJob, 'sendId' | 'attempt'>) => `${job.sendId}-${job.attempt}`;

/** Lets running handlers finish within `graceMs`, then aborts their signal and waits for them to return. */
export async function settleRunning(running: Set<Promise<void>>, abort: AbortController, graceMs: number): Promise<void> {
  if (running.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([Promise.allSettled([...running]), grace]);
  clearTimeout(timer);
  if (running.size > 0) abort.abort();
  await Promise.allSettled([...running]);
}

/**
 * Enqueues sends whose rows are committed. If the queue is unreachable now, nothing is lost:
 * the sweeper finds the QUEUED rows and enqueues them later.
 */
export async function enqueueCommitted(deps: { queue: DispatchQueue; log: Logger }, jobs: DispatchJob[]): Promise<void> {
  try {
    await deps.queue.enqueue(jobs);
  } catch (err) {
    deps.log.warn({ sends: jobs.length, err: errorFields(err) }, 'enqueue failed; the sweeper will pick the sends up');
  }
}
