// Deliveries waiting for an attempt ride on the dispatch queue drivers (in-process, or BullMQ
// on Redis under its own queue name); a job carries a delivery id, the row holds the rest.
import type { DispatchQueue } from '../sends/queue.ts';

export interface DeliveryJob {
  deliveryId: string;
  /** The attempt's number: one job per attempt, so a retry is queued once. */
  attempt: number;
  runAt?: Date | null;
}

export interface DeliveryQueue {
  readonly driver: DispatchQueue['driver'];
  enqueue(jobs: DeliveryJob[]): Promise<void>;
  startWorker(handler: (deliveryId: string, signal: AbortSignal) => Promise<void>, opts: { concurrency: number }): void;
  size(): Promise<number>;
  close(): Promise<void>;
}

export function deliveryQueue(queue: DispatchQueue): DeliveryQueue {
  return {
    driver: queue.driver,
    enqueue: (jobs) => queue.enqueue(jobs.map((job) => ({ sendId: job.deliveryId, attempt: job.attempt, runAt: job.runAt }))),
    startWorker: (handler, opts) => queue.startWorker(handler, opts),
    size: () => queue.size(),
    close: () => queue.close(),
  };
}
