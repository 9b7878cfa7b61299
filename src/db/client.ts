// The Prisma client over one of two drivers: PostgreSQL (DATABASE_URL) or embedded PGlite.
// Everything above this file runs the same code for both.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';

export type { PrismaClient };
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Database {
  prisma: PrismaClient;
  driver: 'postgres' | 'pglite';
  /** Runs multi-statement SQL (migrations) in one transaction; `lockKey` serialises concurrent runners. */
  execScriptInTransaction(sqls: Array<{ sql: string; params?: unknown[] }>, lockKey?: number): Promise<void>;
  /** Plain parameterised query outside Prisma (health, migration bookkeeping). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; absent = in memory. */
  pgliteDir?: string;
  /** A dumped, already migrated PGlite data directory to start from (tests). */
  pgliteLoad?: Blob;
  /** Called once per SQL statement Prisma runs (tests count them). */
  onQuery?: (sql: string) => void;
  /** Told when PostgreSQL drops an idle pooled connection (a restart, a failover, or the end of a close). */
  onIdleError?: (err: Error) => void;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}

type Adapter = NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>;

function prismaWith(adapter: Adapter, onQuery?: (sql: string) => void): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  (client as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  return client;
}

async function openPostgres(url: string, opts: Pick<DatabaseOptions, 'onQuery' | 'onIdleError'>): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // The pool has already dropped the connection and opens a new one when needed; without a
  // listener the error would end the process.
  pool.on('error', (err) => opts.onIdleError?.(err));
  const prisma = prismaWith(new PrismaPg(pool), opts.onQuery);
  return {
    prisma,
    driver: 'postgres',
    async execScriptInTransaction(sqls, lockKey) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (lockKey !== undefined) await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
        for (const { sql, params } of sqls) await client.query(sql, params);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Runs initdb for a new data directory in a process of its own (see pglite-init.ts). */
async function createPgliteDir(dir: string): Promise<void> {
  const ext = extname(import.meta.url);
  // From the TypeScript sources (tests, tsx) the script needs the loader; compiled, it is plain JavaScript.
  const loader = ext === '.ts' ? ['--import', 'tsx'] : [];
  await promisify(execFile)(process.execPath, [...loader, fileURLToPath(new URL(`./pglite-init${ext}`, import.meta.url)), dir]);
}

async function openPglite(opts: DatabaseOptions): Promise<Database> {
  if (opts.pgliteDir) {
    mkdirSync(opts.pgliteDir, { recursive: true });
    if (!opts.pgliteLoad && !existsSync(join(opts.pgliteDir, 'PG_VERSION'))) await createPgliteDir(opts.pgliteDir);
  }
  const lite = await PGlite.create(opts.pgliteDir, { startParams: PGLITE_START_PARAMS, ...(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {}) });
  return pgliteDatabase(lite, prismaWith(new PrismaPGlite(lite), opts.onQuery));
}

/**
 * One embedded backend needs neither PostgreSQL's 160 MB of shared buffers nor room for 100
 * connections: smaller settings keep the service's memory down, the data fits either way.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5', '-c', 'wal_buffers=1MB'];

function pgliteDatabase(lite: PGlite, prisma: PrismaClient): Database {
  return {
    prisma,
    driver: 'pglite',
    async execScriptInTransaction(sqls) {
      // One connection: PGlite's own transaction already serialises every other query.
      await lite.transaction(async (tx) => {
        for (const { sql, params } of sqls) {
          if (params) await tx.query(sql, params);
          else await tx.exec(sql);
        }
      });
    },
    async query(sql, params) {
      return (await lite.query(sql, params)).rows as never;
    },
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

/** Dumps a PGlite database (tests start every database from one migrated template). */
export async function dumpPglite(dir: string | undefined, prepare: (db: Database) => Promise<void>): Promise<Blob> {
  const lite = await PGlite.create(dir);
  // Only raw SQL is needed to prepare a template; no Prisma client is opened.
  await prepare(pgliteDatabase(lite, null as never));
  const blob = await lite.dumpDataDir('none');
  await lite.close();
  return blob;
}
