// The status machine's SQL (moveMany) must agree with canMove on every pair of statuses:
// statuses only move forward, terminal ones never move, and each move writes one event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUuidV7 } from '../src/ids.ts';
import type { SendStatus } from '../src/db/generated/enums.ts';
import { canMove, moveMany, type Transition } from '../src/sends/status.ts';
import { createTestApp, seedTenant, type TestApp } from './helpers.ts';

const STATUSES: SendStatus[] = ['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED', 'CANCELED', 'BLOCKED'];

let t: TestApp;
let tenantId: string;

beforeAll(async () => {
  t = await createTestApp();
  const tenant = await seedTenant(t, 'Status AB');
  tenantId = Buffer.from(tenant.id, 'base64').toString('utf8').split(':')[1]!;
});
afterAll(() => t.close());

async function sendsIn(statuses: SendStatus[]): Promise<string[]> {
  const ids = statuses.map(() => newUuidV7());
  await t.app.prisma.send.createMany({
    data: statuses.map((status, i) => ({ id: ids[i]!, tenantId, channel: 'SMS' as const, purposeKey: 'receipts', status, createdBy: 'test' })),
  });
  return ids;
}

describe('moveMany', () => {
  for (const retry of [false, true]) {
    it(`agrees with canMove on all ${STATUSES.length ** 2} pairs${retry ? ' (retry)' : ''}`, async () => {
      const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to })));
      const ids = await sendsIn(pairs.map((p) => p.from));
      const transitions: Transition[] = pairs.map((p, i) => ({ sendId: ids[i]!, to: p.to, retry, reason: `${p.from}->${p.to}` }));
      const moved = new Set((await moveMany(t.app.prisma, transitions)).map((m) => m.sendId));
      const rows = await t.app.prisma.send.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, _count: { select: { events: true } } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      pairs.forEach(({ from, to }, i) => {
        const allowed = canMove(from, to, { retry });
        const row = byId.get(ids[i]!)!;
        expect({ from, to, moved: moved.has(ids[i]!), status: row.status, events: row._count.events }).toEqual({
          from,
          to,
          moved: allowed,
          status: allowed ? to : from,
          events: allowed ? 1 : 0,
        });
      });
    });
  }

  it('never lets a late SENT overwrite DELIVERED, nor a repeated report add an event', async () => {
    const [id] = await sendsIn(['SENDING']);
    for (const to of ['SENT', 'DELIVERED', 'SENT', 'DELIVERED', 'FAILED'] as const) await moveMany(t.app.prisma, [{ sendId: id!, to }]);
    const events = await t.app.prisma.sendEvent.findMany({ where: { sendId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { status: true } });
    expect(events.map((e) => e.status)).toEqual(['SENT', 'DELIVERED']);
    expect((await t.app.prisma.send.findUniqueOrThrow({ where: { id } })).status).toBe('DELIVERED');
  });
});
