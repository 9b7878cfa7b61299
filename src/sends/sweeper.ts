// The safety net under the queue. The send row is the source of truth, so whatever a queue
// loses (a restart of the embedded process, a Redis restart without persistence, a killed
// worker) is found here and enqueued again: QUEUED sends that are due and have sat still, and
// SENDING sends whose lease ran out. Job ids carry the attempt number, so a send the queue
// still holds is not queued twice. The sweeper also retries provider reports that came early,
// and looks into sends whose delivery report is overdue (overdue-reports.ts).
import type { SweepSettings } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { errorFields, type Logger } from '../log.ts';
import { checkOverdueReports, type OverdueReportDeps } from './overdue-reports.ts';
import { applyWaitingEvents } from './provider-events.ts';
import type { DispatchJob, DispatchQueue } from './queue.ts';

const BATCH = 5_000;

export interface SweepResult {
  requeued: number;
  reportsApplied: number;
  overdueReports: number;
}

export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: OverdueReportDeps & { prisma: PrismaClient; log: Logger; queue: DispatchQueue; settings: SweepSettings; minReportWindowMs: number },
  ) {}

  /** Sweeps once with no grace (what the last process left behind), then every interval. */
  start(): void {
    const tick = (stuckAfterMs: number) => {
      this.running = this.sweep(stuckAfterMs)
        .catch((err: unknown) => this.deps.log.error({ err: errorFields(err) }, 'sweep failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(() => tick(this.deps.settings.stuckAfterMs), this.deps.settings.intervalMs).unref();
        });
    };
    tick(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Enqueues what is due and idle for `stuckAfterMs`, and applies waiting provider reports. */
  async sweep(stuckAfterMs = this.deps.settings.stuckAfterMs): Promise<SweepResult> {
    const horizon = this.deps.settings.intervalMs;
    const rows = await this.deps.prisma.$queryRaw<Array<{ id: string; attempts: number; nextAttemptAt: Date | null }>>`
      SELECT "id", "attempts", "nextAttemptAt" FROM "Send"
      WHERE ("status" = 'QUEUED' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now() + (${horizon}::int * interval '1 millisecond'))
              AND "updatedAt" <= now() - (${stuckAfterMs}::int * interval '1 millisecond'))
         OR ("status" = 'SENDING' AND "leaseUntil" < now())
      ORDER BY "nextAttemptAt" ASC NULLS FIRST
      LIMIT ${BATCH}`;
    const jobs: DispatchJob[] = rows.map((r) => ({ sendId: r.id, attempt: r.attempts, runAt: r.nextAttemptAt }));
    if (jobs.length) {
      await this.deps.queue.enqueue(jobs);
      this.deps.log.info({ sends: jobs.length }, 'sweeper enqueued sends');
    }
    const reportsApplied = await applyWaitingEvents(this.deps);
    const overdueReports = await checkOverdueReports(this.deps, this.deps.minReportWindowMs);
    return { requeued: jobs.length, reportsApplied, overdueReports };
  }
}
