// The append-only audit log. Changes are recorded inside the transaction that makes them;
// reads of personal data go through a buffer that writes in batches off the read path and
// is flushed on shutdown, so no event is lost on a clean stop.
import type { Tx } from '../db/client.ts';
import type { Logger } from '../log.ts';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
}

export async function recordAudit(tx: Tx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({ data: entries });
}

export class AuditBuffer {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly tx: Tx,
    private readonly log: Logger,
    private readonly opts = { maxBatch: 500, flushMs: 250 },
  ) {}

  push(...entries: AuditEntry[]): void {
    this.pending.push(...entries);
    if (this.pending.length >= this.opts.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.flushMs);
  }

  /** Writes everything pending; safe to call at any time, resolves when written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await recordAudit(this.tx, ...batch);
      } catch (err) {
        // Keep the events for the next flush rather than lose them.
        this.pending.unshift(...batch);
        this.log.error({ err: { message: (err as Error).message }, count: batch.length }, 'audit flush failed');
      }
    });
    return this.flushing;
  }
}
