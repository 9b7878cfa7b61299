// The API benchmarks against the service started as `npm start` starts it, next to a bare
// graphql-yoga answering `{ hello }`, each in its own process, loaded in turns with the same
// client at the same concurrency. With DATABASE_URL the service runs on a fresh PostgreSQL
// database. Each prints one JSON line per query and appends a row to test/bench/RESULTS.md.
// - api-read: the page frontend teams load most (50 sends with each recipient's name and the
//   sends' events), its VIEWER variant, and `{ viewer { id } }`;
// - api-write: createSend, each request a new send the service then dispatches.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, serviceCommand } from '../processes.ts';
import { createDatabase } from './campaign.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = new URL('./RESULTS.md', import.meta.url);
const SENDS = 50;
const CONNECTIONS = 50;
const WARMUP_MS = 3_000;
const ROUNDS = 2;

const PAGE = `{ tenant(id: "$TENANT") { sends(first: ${SENDS}) { edges { node { status recipient { name } events { status at } } } } } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => +n.toFixed(digits);

export async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url} exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/**
 * A child process stopped by the cleanups; its warnings and errors (pino levels 40+) go to
 * stderr. Under a load of thousands of requests a second, reading its request lines would tax
 * the measuring process: `quiet` sends its output nowhere.
 */
export function spawnChild(cleanups: Array<() => Promise<unknown>>, script: string[], env: Record<string, string>, { nodeFlags = [] as string[], quiet = false } = {}): ChildProcess {
  const loader = script.find((arg) => !arg.startsWith('-'))!.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, ...script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', quiet ? 'ignore' : 'pipe', 'inherit'] });
  if (!quiet) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"level":') || /^\{"level":[4-6]\d/.test(line)) process.stderr.write(`[${script[0]}] ${line}\n`);
    });
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return child;
}

/**
 * The service as `npm start` runs it (development mode, info logs shown only from warnings up),
 * on loopback, with a fresh data directory, or a fresh PostgreSQL database with DATABASE_URL,
 * and a generated operator key; stopped by the cleanups.
 */
export async function startService(
  cleanups: Array<() => Promise<unknown>>,
  env: Record<string, string> = {},
  opts: Parameters<typeof spawnChild>[3] = {},
): Promise<{ service: ChildProcess; origin: string; adminKey: string; database: 'postgres' | 'pglite' }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'send-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const adminKey = `sk_admin_bench_${randomBytes(16).toString('hex')}`;
  const databaseUrl = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL, cleanups) : undefined;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const service = spawnChild(
    cleanups,
    serviceCommand('start'),
    {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: origin,
      ADMIN_API_KEY: adminKey,
      MASTER_KEY: randomBytes(32).toString('base64'),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    opts,
  );
  return { service, origin, adminKey, database: databaseUrl ? 'postgres' : 'pglite' };
}

export type Gql = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<any>;

export function graphqlAt(origin: string): Gql {
  return async (query, variables = {}, token) => {
    const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const json = (await res.json()) as { data?: any; errors?: unknown };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  };
}

/** Keeps `connections` requests in flight for `ms`; req/s and latency percentiles of those that finished. */
async function load(origin: string, body: string, token: string | null, ms: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const res = await pool.request({ path: '/graphql', method: 'POST', headers, body });
          const text = await res.body.text();
          if (res.statusCode !== 200 || text.includes('"errors"')) errors++;
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** Peak resident memory of a process, from the kernel (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 0);
}

interface Variant {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  token: string;
}

/** The seeded service's keys and ids, for building the variants to load. */
interface Seeded {
  tenantId: string;
  sender: string;
  viewer: string;
  recipientIds: string[];
}

export const apiRead = (args: string[]) =>
  compareWithBareYoga('api-read', args, ({ tenantId, sender, viewer }) => {
    const page = PAGE.replace('$TENANT', tenantId);
    return [
      { name: 'sends page (SENDER)', query: page, token: sender },
      { name: 'sends page (VIEWER, masked)', query: page, token: viewer },
      { name: '{ viewer { id } } (SENDER)', query: '{ viewer { id } }', token: sender },
    ];
  });

export const apiWrite = (args: string[]) =>
  compareWithBareYoga('api-write', args, ({ sender, recipientIds }) => [
    {
      name: 'createSend (SENDER)',
      query: 'mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id status } }',
      variables: { r: recipientIds[0] },
      token: sender,
    },
  ]);

/** `<bench> [seconds] [query name part]`: the second argument runs only the queries whose name holds it. */
async function compareWithBareYoga(bench: string, args: string[], variantsOf: (seeded: Seeded) => Variant[]): Promise<void> {
  const seconds = Number(args[0] ?? 10);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 120) throw new Error('seconds must be from 1 to 120');
  const only = args[1];
  // BENCH_CPU_PROF=<dir>: the service writes a V8 CPU profile there when it stops; read it with
  // `node --import tsx test/bench/cpu-profile.ts <file>`.
  const profileDir = process.env.BENCH_CPU_PROF;
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const { service, origin, adminKey, database } = await startService(
      cleanups,
      // RESPONSE_CACHE_MS=0 measures the uncached path.
      process.env.RESPONSE_CACHE_MS ? { RESPONSE_CACHE_MS: process.env.RESPONSE_CACHE_MS } : {},
      { quiet: true, nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] },
    );
    const barePort = await freePort();
    const bare = spawnChild(cleanups, ['test/bench/bare-yoga.ts'], { PORT: String(barePort) }, { quiet: true });
    const bareOrigin = `http://127.0.0.1:${barePort}`;
    await Promise.all([waitUntilUp(`${origin}/healthz`, service), waitUntilUp(`${bareOrigin}/graphql?query=%7Bhello%7D`, bare)]);

    const gql: Gql = (query, variables = {}, token = adminKey) => graphqlAt(origin)(query, variables, token);
    const tenantId: string = (await gql('mutation { createTenant(input: { name: "Bench AB" }) { id } }')).createTenant.id;
    const keyOf = async (role: string) => (await gql(`mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "bench", role: ${role} }) { secret } }`, { t: tenantId })).createApiKey.secret as string;
    const [sender, viewer] = [await keyOf('SENDER'), await keyOf('VIEWER')];
    await gql(
      `mutation($t: ID!, $r: [RecipientItemInput!]!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
        upsertRecipients(input: { tenantId: $t, recipients: $r }) { created }
      }`,
      { t: tenantId, r: Array.from({ length: SENDS }, (_, i) => ({ externalId: `r${i}`, name: `Person ${i}`, phone: `+4670${String(i).padStart(7, '0')}` })) },
    );
    const campaignId = (await gql(`mutation($t: ID!) { createCampaign(input: { tenantId: $t, name: "Bench", channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }`, { t: tenantId })).createCampaign.id;
    for (let i = 0; ; i++) {
      const stats = (await gql(`query($id: ID!) { node(id: $id) { ... on Campaign { stats { delivered } } } }`, { id: campaignId })).node.stats;
      if (stats.delivered === SENDS) break;
      if (i > 600) throw new Error('the seeded sends were not delivered');
      await sleep(100);
    }

    const recipientIds = (await gql(`query($t: ID!) { tenant(id: $t) { recipients(first: 1) { edges { node { id } } } } }`, { t: tenantId })).tenant.recipients.edges.map((e: { node: { id: string } }) => e.node.id);
    const variants = variantsOf({ tenantId, sender, viewer, recipientIds });
    const selected = variants.filter((variant) => !only || variant.name.includes(only));
    if (selected.length === 0) throw new Error(`no query named like "${only}"; one of: ${variants.map((v) => v.name).join(', ')}`);
    const bareBody = JSON.stringify({ query: '{ hello }' });
    const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    for (const variant of selected) {
      const body = JSON.stringify({ query: variant.query, variables: variant.variables ?? {} });
      await load(origin, body, variant.token, WARMUP_MS);
      await load(bareOrigin, bareBody, null, WARMUP_MS);
      const ours: number[] = [];
      const baseline: number[] = [];
      let last = { rps: 0, p50: 0, p99: 0, errors: 0 };
      for (let i = 0; i < ROUNDS; i++) {
        last = await load(origin, body, variant.token, (seconds * 1000) / ROUNDS);
        if (last.errors) throw new Error(`${variant.name}: ${last.errors} requests failed`);
        ours.push(last.rps);
        baseline.push((await load(bareOrigin, bareBody, null, (seconds * 1000) / ROUNDS)).rps);
      }
      const rps = ours.reduce((a, b) => a + b, 0) / ROUNDS;
      const bareRps = baseline.reduce((a, b) => a + b, 0) / ROUNDS;
      const result = {
        bench,
        query: process.env.RESPONSE_CACHE_MS ? `${variant.name} [RESPONSE_CACHE_MS=${process.env.RESPONSE_CACHE_MS}]` : variant.name,
        database,
        connections: CONNECTIONS,
        requestsPerSecond: round(rps),
        bareYogaRequestsPerSecond: round(bareRps),
        ratio: round(rps / bareRps, 3),
        p50Ms: round(last.p50),
        p99Ms: round(last.p99),
        servicePeakRssMb: await peakRssMb(service.pid!),
      };
      console.log(JSON.stringify(result));
      await appendFile(
        RESULTS,
        `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${process.version} | ${availableParallelism()} | ${bench} | ${result.query} | ${result.database} | ${result.requestsPerSecond} | ${result.bareYogaRequestsPerSecond} | ${result.ratio} | ${result.p50Ms} | ${result.p99Ms} | ${result.servicePeakRssMb} |\n`,
      );
    }
  } finally {
    for (const step of cleanups.reverse()) await step().catch(() => {});
  }
}
