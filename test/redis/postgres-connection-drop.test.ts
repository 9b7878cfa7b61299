// PostgreSQL may end idle connections at any time (a restart, a failover, an administrator).
// The pool must drop them and carry on: an unheard error event would end the process.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { waitFor } from '../wait.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('PostgreSQL ending idle connections', () => {
  it('is logged without personal data, and the next query gets a fresh connection', async () => {
    expect(t.app.db.driver).toBe('postgres');
    await t.app.prisma.tenant.count();
    const database = new URL(t.config.databaseUrl!).pathname.slice(1);

    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }

    const dropped = await waitFor(
      async () => t.logs.filter((line) => line.includes('database connection dropped')),
      (lines) => lines.length > 0,
    );
    expect(JSON.parse(dropped[0]!)).toMatchObject({ level: 'warn', err: { code: '57P01' } });
    expect(await t.app.prisma.tenant.count()).toBeGreaterThanOrEqual(0);
  });
});
