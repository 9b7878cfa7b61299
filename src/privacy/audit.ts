// The append-only audit log. Changes are recorded inside the transaction that makes them;
// clear reads of personal data are recorded before the value is returned.
import { batched } from '../batch.ts';
import type { Tx } from '../db/client.ts';

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
