// The append-only audit log. Changes are recorded inside the transaction that makes them;
// clear reads of personal data are recorded before the value is returned.
import { batched } from '../batch.ts';
import type { Tx } from '../db/client.ts';

/** For the records of processing (GDPR Art. 32). */
export const AUDIT_MEASURE = 'Every change, and every clear read of personal data by a role that is not masked, is written to an append-only audit log (a database trigger refuses updates) before the value is returned';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Counts or outcomes, never personal data. */
  detail?: Record<string, number | string | boolean | null>;
  /** Defaults to the database's now(); set when an injected clock drives the action. */
  at?: Date;
}

export async function recordAudit(tx: Tx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({ data: entries });
}

/**
 * Audit events of clear reads of personal data. A read's event is written before the clear
 * value is handed out (the caller awaits `record`), so a response never carries a clear value
 * whose read is not on record, even if the process dies right after. Reads that arrive within
 * a couple of milliseconds of each other, from one request or many, share one insert.
 */
export class ReadAudit {
  private readonly writes = batched<AuditEntry, void>(async (entries) => {
    await recordAudit(this.tx, ...entries);
    return entries.map(() => undefined);
  });

  constructor(private readonly tx: Tx) {}

  record(entry: AuditEntry): Promise<void> {
    return this.writes.load(entry);
  }
}
