// Migrates one template database per run; every test file starts from a copy of it
// (PGlite: a dumped data directory; PostgreSQL: CREATE DATABASE ... TEMPLATE).
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { dumpPglite, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';

// One per run, so that two checkouts can run their suites against one server at once.
const TEMPLATE_DB = `send_test_template_${process.pid}`;

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${TEMPLATE_DB}`;
    const db = await openDatabase({ databaseUrl: templateUrl.toString() });
    await migrate(db);
    await db.close();
    project.provide('pgTemplate', TEMPLATE_DB);
    return async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
      await c.end();
    };
  }
  const blob = await dumpPglite(undefined, async (db) => {
    await migrate(db);
  });
  const file = join(await mkdtemp(join(tmpdir(), 'send-test-')), 'template.tar');
  await writeFile(file, Buffer.from(await blob.arrayBuffer()));
  project.provide('pgliteTemplate', file);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate?: string;
    pgliteTemplate?: string;
  }
}
