// The embedded dispatch queue: one process, no Redis. Jobs live in memory only; that is
// enough because every job mirrors a send row, and the database sweeper re-enqueues due
// sends after a restart or when a long delay below was cut short.
import { errorFields, type Logger } from '../log.ts';
import { jobId, settleRunning, type DispatchHandler, type DispatchJob, type DispatchQueue } from './queue.ts';

// setTimeout fires at once for delays above this (and warns), so longer ones are clamped.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Pending {
  id: string;
  sendId: string;
}

/** FIFO with a moving head: shifting an array is O(n), this is O(1) amortised. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T; // let the job be collected
    // Drop the consumed prefix once it dominates, so memory follows the live length.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export function createInProcessQueue(opts: { log: Logger }): DispatchQueue {
  const { log } = opts;
  const ready = new Fifo<Pending>();
  const delayed = new Map<string, NodeJS.Timeout>();
  // Every id that is ready, delayed or running: the dedupe set.
  const held = new Set<string>();
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let handler: DispatchHandler | null = null;
  let concurrency = 1;
  let closing: Promise<void> | null = null;

  function pump(): void {
    while (handler && !closing && running.size < concurrency && ready.length > 0) {
      run(handler, ready.shift()!);
    }
  }

  function run(fn: DispatchHandler, job: Pending): void {
    const task = (async () => {
      try {
        await fn(job.sendId, abort.signal);
      } catch (err) {
        // The type only: a message may carry personal data.
        log.error({ err: errorFields(err), sendId: job.sendId }, 'dispatch failed');
      }
    })();
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      held.delete(job.id);
      pump();
    });
  }

  return {
    driver: 'in-process',

    async enqueue(jobs: DispatchJob[]): Promise<void> {
      // After close the rows are still in the database; the next process picks them up.
      if (closing) return;
      const now = Date.now();
      for (const job of jobs) {
        const id = jobId(job);
        if (held.has(id)) continue;
        held.add(id);
        const pending = { id, sendId: job.sendId };
        const delay = job.runAt ? job.runAt.getTime() - now : 0;
        if (delay > 0) {
          const timer = setTimeout(() => {
            delayed.delete(id);
            ready.push(pending);
            pump();
          }, Math.min(delay, MAX_TIMER_MS));
          // A waiting job must not keep the process alive.
          timer.unref();
          delayed.set(id, timer);
        } else {
          ready.push(pending);
        }
      }
      pump();
    },

    startWorker(fn: DispatchHandler, workerOpts: { concurrency: number }): void {
      if (handler) throw new Error('the dispatch worker is already started');
      if (!Number.isInteger(workerOpts.concurrency) || workerOpts.concurrency < 1) {
        throw new Error('concurrency must be a positive integer');
      }
      handler = fn;
      concurrency = workerOpts.concurrency;
      pump();
    },

    async size(): Promise<number> {
      return ready.length + delayed.size + running.size;
    },

    close(closeOpts: { graceMs?: number } = {}): Promise<void> {
      closing ??= (async () => {
        // Waiting jobs are dropped: their sends are in the database.
        for (const timer of delayed.values()) clearTimeout(timer);
        delayed.clear();
        ready.clear();
        await settleRunning(running, abort, closeOpts.graceMs ?? 5000);
        held.clear();
      })();
      return closing;
    },
  };
}
