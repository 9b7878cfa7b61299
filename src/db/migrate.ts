// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, each in its own
// transaction, recorded in Prisma's _prisma_migrations table (same checksum), so that the
// service migrates PGlite and PostgreSQL alike without Prisma's native schema engine.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

/** The repository's folder: the nearest one up holding package.json (from src/db/, or from dist/src/db/ when compiled). */
function repositoryRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dir === dirname(dir)) throw new Error('package.json not found above the migration runner');
  }
}

export const MIGRATIONS_DIR = join(repositoryRoot(), 'prisma/migrations');
// Any fixed number: concurrent starters on PostgreSQL queue on this advisory lock.
const MIGRATION_LOCK_KEY = 72_411_903;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies what is pending; returns the names applied. Refuses to run if an applied file changed. */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  await db.execScriptInTransaction([{ sql: CREATE_TABLE }], MIGRATION_LOCK_KEY);
  const applied: string[] = [];
  for (const migration of migrations) {
    let ran = false;
    const done = await db.query<{ checksum: string }>(
      `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [migration.name],
    );
    if (done[0]) {
      if (done[0].checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
      }
      continue;
    }
    await db.execScriptInTransaction(
      [
        // Re-check under the lock: another process may have applied it meanwhile.
        { sql: `DO $$ BEGIN IF EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '${migration.name.replace(/'/g, "''")}' AND finished_at IS NOT NULL) THEN RAISE EXCEPTION 'already-applied'; END IF; END $$` },
        { sql: migration.sql },
        {
          sql: `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          params: [randomUUID(), migration.checksum, migration.name],
        },
      ],
      MIGRATION_LOCK_KEY,
    ).then(
      () => (ran = true),
      (err: Error) => {
        if (!/already-applied/.test(err.message)) throw new Error(`Migration ${migration.name} failed: ${err.message}`);
      },
    );
    if (ran) applied.push(migration.name);
  }
  return applied;
}

/** Names of migrations not yet applied (readiness). */
export async function pendingMigrations(db: Database, migrations = readMigrations()): Promise<string[]> {
  const rows = await db
    .query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
    .catch(() => []);
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
