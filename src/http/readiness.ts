// GET /readyz: whether this process can serve. The database must answer and be fully
// migrated; Redis, when configured, must answer PING.
import type { Redis } from 'ioredis';
import type { Database } from '../db/client.ts';
import { pendingMigrations } from '../db/migrate.ts';

export interface ReadinessDeps {
  db: Database;
  redis?: Redis;
}

export async function readiness(deps: ReadinessDeps): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  try {
    await deps.db.query('SELECT 1');
    const pending = await pendingMigrations(deps.db);
    checks.database = pending.length ? `pending migrations: ${pending.length}` : 'ok';
  } catch {
    checks.database = 'unreachable';
  }
  if (deps.redis) {
    checks.redis = await deps.redis.ping().then(
      (pong) => (pong === 'PONG' ? 'ok' : 'unexpected answer'),
      () => 'unreachable',
    );
  }
  return { ok: Object.values(checks).every((c) => c === 'ok'), checks };
}
