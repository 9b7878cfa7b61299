import { describe, expect, it } from 'vitest';
import type { Tx } from '../db/client.ts';
import { ReadAudit, type AuditEntry } from './audit.ts';

function store(fail = false) {
  const written: AuditEntry[][] = [];
  const tx = {
    auditEvent: {
      createMany: async ({ data }: { data: AuditEntry[] }) => {
        if (fail) throw new Error('database away');
        written.push(data);
        return { count: data.length };
      },
    },
  } as unknown as Tx;
  return { tx, written };
}

const entry = (i: number): AuditEntry => ({ tenantId: null, actor: 'a', action: `read.${i}` });

describe('ReadAudit', () => {
  it('writes concurrent reads in one statement, and each read waits for it', async () => {
    const { tx, written } = store();
    const audit = new ReadAudit(tx);
    await Promise.all(Array.from({ length: 50 }, (_, i) => audit.record(entry(i))));
    expect(written.map((b) => b.length)).toEqual([50]);
  });

  it('fails the read when its event cannot be written: no clear value without a record', async () => {
    const audit = new ReadAudit(store(true).tx);
    await expect(audit.record(entry(1))).rejects.toThrow('database away');
  });

  it("records one caller's reads of many targets as one row naming each target once, with the number of reads", async () => {
    const { tx, written } = store();
    const audit = new ReadAudit(tx);
    const read = (actor: string, targetId: string): AuditEntry => ({ tenantId: 't', actor, action: 'recipient.read', targetType: 'Recipient', targetId });
    const merged = { tenantId: 't', actor: 'a', action: 'recipient.read', targetType: 'Recipient', targetId: undefined, targetIds: ['r1', 'r2'], detail: { reads: 3 } };
    await Promise.all([read('a', 'r1'), read('a', 'r2'), read('a', 'r1'), read('b', 'r1')].map((e) => audit.record(e)));
    expect(written).toEqual([[merged, read('b', 'r1')]]);
    // A cached answer records its merged reads again; they merge with other reads of the moment.
    await Promise.all([audit.record(merged), audit.record(read('a', 'r3'))]);
    expect(written[1]).toEqual([{ ...merged, targetIds: ['r1', 'r2', 'r3'], detail: { reads: 4 } }]);
  });
});
