// Test harness: a fresh database per test file (copied from the migrated template), the
// real yoga app, and small helpers to call GraphQL as a given principal.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createYogaApp, startServer } from '../src/server.ts';
import { graphql } from './__generated__/gql.ts';
import type { TypedDocumentString } from './__generated__/graphql.ts';

export const TEST_ADMIN_KEY = `sk_admin_test_${'x'.repeat(32)}`;

export interface TestApp {
  app: App;
  config: Config;
  /** Every log line written, for assertions. */
  logs: string[];
  /** SQL statements issued since the last resetQueries(), when countQueries was asked. */
  queries: string[];
  exec<R, V>(doc: TypedDocumentString<R, V> | string, variables?: V, token?: string | null): Promise<GqlResult<R>>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The loopback URL when `listen` was asked (PUBLIC_URL points there, so provider callbacks arrive). */
  url?: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  countQueries?: boolean;
  /** Serve HTTP on a loopback port, for webhooks and provider callbacks. */
  listen?: boolean;
  /** Run the queue workers and the sweeper in this process. */
  dispatch?: boolean;
  /** Embedded mode only: keep PGlite's files in this directory (DATA_DIR) instead of memory. */
  dataDir?: string;
}

export interface GqlResult<R> {
  status: number;
  data?: R | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; field?: string } }>;
}

export async function createTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const logs: string[] = [];
  const queries: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  const pgTemplate = inject('pgTemplate');
  if (pgTemplate && process.env.DATABASE_URL) {
    const name = `send_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: opts.dataDir ?? '/nonexistent-test-data',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    // Replaced by the server's own address when the test listens; scale-out needs one at start.
    PUBLIC_URL: 'http://127.0.0.1:9',
    // Tests read at once what a background job has just written, which no event announces;
    // test/response-cache.test.ts turns the cache on, and so do the tests that run `npm start`.
    RESPONSE_CACHE_MS: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const template = inject('pgliteTemplate');
  const app = await createApp(config, {
    pgliteLoad: databaseUrl || !template || opts.dataDir ? undefined : new Blob([await readFile(template)]),
    inMemory: !databaseUrl && !opts.dataDir,
    logDestination: destination,
    onQuery: opts.countQueries ? (sql) => queries.push(sql) : undefined,
  });
  const server = opts.listen ? await startServer(app, 0, '127.0.0.1') : undefined;
  // The port is known only now; callback URLs are built from the config at send time.
  if (server) config.publicUrl = server.url;
  if (opts.dispatch) app.startDispatch();
  const yoga = createYogaApp(app);
  const fetchApp = (path: string, init: RequestInit = {}) => Promise.resolve(yoga.fetch(new URL(path, 'http://localhost'), init));
  return {
    app,
    config,
    logs,
    queries,
    fetch: fetchApp,
    url: server?.url,
    async exec(doc, variables, token = TEST_ADMIN_KEY) {
      const res = await fetchApp('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: String(doc), variables }),
      });
      const body = (await res.json()) as GqlResult<never>;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    async close() {
      await server?.close();
      await app.close();
      await dropDatabase?.();
    },
  };
}

/** The data of a result that must have no errors. */
export function ok<R>(result: GqlResult<R>): R {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as R;
}

export function errorCodes(result: GqlResult<unknown>): string[] {
  return (result.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
}

const CreateTenant = graphql(`
  mutation SeedTenant($input: CreateTenantInput!) {
    createTenant(input: $input) { id name }
  }
`);

const CreateKey = graphql(`
  mutation SeedKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { id role } }
  }
`);

export type SeedRole = 'TENANT_ADMIN' | 'SENDER' | 'VIEWER' | 'DPO';

/** A tenant with one API key per tenant role. */
export async function seedTenant(t: TestApp, name: string) {
  const tenant = ok(await t.exec(CreateTenant, { input: { name } })).createTenant;
  const keys = {} as Record<SeedRole, string>;
  const keyIds = {} as Record<SeedRole, string>;
  for (const role of ['TENANT_ADMIN', 'SENDER', 'VIEWER', 'DPO'] as const) {
    const created = ok(await t.exec(CreateKey, { input: { tenantId: tenant.id, name: `${role} key`, role } })).createApiKey;
    keys[role] = created.secret;
    keyIds[role] = created.apiKey.id;
  }
  return { id: tenant.id, keys, keyIds };
}
