// The append-only audit log. Changes are recorded inside the transaction that makes them;
// clear reads of personal data are recorded before the value is returned.
import type { Tx } from '../db/client.ts';

/** For the records of processing (GDPR Art. 32). */
export const AUDIT_MEASURE = 'Every change, and every clear read of personal data by a role that is not masked, is written to an append-only audit log (a database trigger refuses updates) before the value is returned';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  /** When the event concerns several objects (then targetId is absent). */
  targetIds?: string[];
  /** Counts or outcomes, never personal data. */
  detail?: Record<string, number | string | boolean | null>;
  /** Defaults to the database's now(); set when an injected clock drives the action. */
  at?: Date;
}

export async function recordAudit(tx: Tx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({ data: entries });
}

/** Where clear reads of personal data are recorded; `record` resolves once the read is on record. */
export interface ReadRecorder {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * One request's reads: recorded through the shared audit, and remembered, so that an answer
 * served again from the response cache can record the same reads again.
 */
export class RequestReads implements ReadRecorder {
  readonly entries: AuditEntry[] = [];

  constructor(private readonly audit: ReadRecorder) {}

  record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return this.audit.record(entry);
  }
}

/**
 * Audit events of clear reads of personal data. A read's event is written before the clear
 * value is handed out (the caller awaits `record`), so a response never carries a clear value
 * whose read is not on record, even if the process dies right after. One insert is under way at
 * a time and the reads that arrive meanwhile, from one request or many, wait for the next, so a
 * busy server makes fewer, larger inserts instead of a queue of small ones (a group commit).
 * The reads of one caller in one tenant share one row naming every target (a page of 50
 * recipients is one row, not 50), with the number of reads in `detail.reads`.
 */
const MAX_READS_PER_INSERT = 2_000;

export class ReadAudit implements ReadRecorder {
  private readonly queued: Array<{ entry: AuditEntry; done: (err?: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly tx: Tx) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ entry, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    // Reads of the same moment (one request's page of recipients) join the first insert.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queued.length > 0) {
      // Bounded: one statement's parameters must stay under PostgreSQL's limit.
      const batch = this.queued.splice(0, MAX_READS_PER_INSERT);
      const outcome = await recordAudit(this.tx, ...mergeReads(batch.map((q) => q.entry))).then(
        () => undefined,
        (err: unknown) => err ?? new Error('audit write failed'),
      );
      for (const q of batch) q.done(outcome);
    }
    this.writing = false;
  }
}

/**
 * Reads of the same caller, action, tenant and type become one entry naming each target once,
 * with the number of reads they stand for; entries already merged (a cached answer's) merge on.
 */
export function mergeReads(entries: readonly AuditEntry[]): AuditEntry[] {
  const merged = new Map<string, { entry: AuditEntry; targets: Set<string>; reads: number }>();
  const rest: AuditEntry[] = [];
  for (const entry of entries) {
    const targets = entry.targetIds ?? (entry.targetId ? [entry.targetId] : []);
    const reads = entry.detail === undefined ? 1 : Object.keys(entry.detail).length === 1 ? entry.detail.reads : undefined;
    if (entry.at || targets.length === 0 || typeof reads !== 'number') {
      rest.push(entry);
      continue;
    }
    const key = JSON.stringify([entry.tenantId, entry.actor, entry.action, entry.targetType]);
    const group = merged.get(key) ?? { entry, targets: new Set<string>(), reads: 0 };
    for (const target of targets) group.targets.add(target);
    group.reads += reads;
    merged.set(key, group);
  }
  for (const { entry, targets, reads } of merged.values()) {
    rest.push(targets.size === 1 && reads === 1 ? entry : { ...entry, targetId: undefined, targetIds: [...targets], detail: { reads } });
  }
  return rest;
}
