import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Tx } from '../db/client.ts';
import { createLogger } from '../log.ts';
import { AuditBuffer, type AuditEntry } from './audit.ts';

function store(failFirst = 0) {
  const written: AuditEntry[][] = [];
  let failures = failFirst;
  const tx = {
    auditEvent: {
      createMany: async ({ data }: { data: AuditEntry[] }) => {
        if (failures-- > 0) throw new Error('database away');
        written.push(data);
        return { count: data.length };
      },
    },
  } as unknown as Tx;
  return { tx, written };
}

const log = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const entry = (i: number): AuditEntry => ({ tenantId: null, actor: 'a', action: `read.${i}` });

describe('AuditBuffer', () => {
  it('writes reads in batches, not one statement per read', async () => {
    const { tx, written } = store();
    const buffer = new AuditBuffer(tx, log, { maxBatch: 100, flushMs: 10_000 });
    for (let i = 0; i < 250; i++) buffer.push(entry(i));
    await buffer.flush();
    expect(written.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('keeps events when a write fails and writes them on the next flush (shutdown flushes)', async () => {
    const { tx, written } = store(1);
    const buffer = new AuditBuffer(tx, log, { maxBatch: 100, flushMs: 10_000 });
    buffer.push(entry(1), entry(2));
    await buffer.flush();
    expect(written).toEqual([]);
    await buffer.flush();
    expect(written.flat().map((e) => e.action)).toEqual(['read.1', 'read.2']);
  });
});
