// The `campaign` benchmark: one campaign through the local fake 46elks, timed from
// createCampaign until every send is DELIVERED, next to a bare HTTP client posting the same
// requests to the same fake with the dispatcher's concurrency. With DATABASE_URL and
// REDIS_URL set it runs the scale-out shape (API here, two worker processes); otherwise the
// embedded default (PGlite in memory, in-process queue) in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../../plugins/sms-46elks/fake-server.ts';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { decodeGlobalId } from '../../src/ids.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { serviceCommand } from '../processes.ts';

const WORKERS = 2;
const BATCH = 10_000;
const POLL_MS = 200;
const MAX_WAIT_MS = 15 * 60_000;
/** No status change for this long means the run is stuck, not slow. */
const STALL_MS = 90_000;
const WORKER_START_MS = 60_000;
const WORKER_STOP_MS = 10_000;
const QUEUE_DRAIN_MS = 30_000;
const FROM = 'Bench';
const BODY = 'Hej {{name}}, ditt kvitto är klart.';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 2) => +n.toFixed(digits);
const phone = (i: number) => `+4670${String(i).padStart(7, '0')}`;
const personName = (i: number) => `Person ${i}`;

export async function campaign(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 10_000);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error('count must be an integer from 1 to 100000');
  const scaleOut = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
  const adminKey = `sk_admin_bench_${randomBytes(16).toString('hex')}`;
  const masterKey = randomBytes(32).toString('base64');

  // Undone last first: workers, fake, HTTP clients, server, app, database.
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', ADMIN_API_KEY: adminKey, MASTER_KEY: masterKey, LOG_LEVEL: 'warn' };
    if (scaleOut) {
      env.DATABASE_URL = await createDatabase(process.env.DATABASE_URL!, cleanups);
    } else {
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
    }
    const config = loadConfig(env);
    const workers = scaleOut ? WORKERS : 1;
    const concurrency = config.dispatch.concurrency * workers;
    const app = await createApp(config, { inMemory: true });
    cleanups.push(() => app.close());
    const running = await startServer(app, 0, '127.0.0.1');
    cleanups.push(() => running.close());
    // Callback URLs are built from it at send time.
    config.publicUrl = running.url;
    // The fake sends its delivery reports over as many connections as the dispatcher uses.
    const fake = await start46elksFake({ autoDeliverAfterMs: 0, reportConnections: concurrency });
    cleanups.push(() => fake.close());

    // A worker that dies mid-run fails the run at once instead of at the stall timeout.
    let checkWorkers = () => {};
    if (scaleOut) {
      // 'worker started' is an info line; the workers' other info lines are dropped below.
      const workerEnv = { ...env, PUBLIC_URL: running.url, LOG_LEVEL: 'info' };
      const procs = Array.from({ length: WORKERS }, (_, i) => spawnWorker(i + 1, workerEnv));
      cleanups.push(() => Promise.all(procs.map(stopWorker)));
      await Promise.all(procs.map((w) => w.ready));
      checkWorkers = () => {
        const dead = procs.findIndex((w) => w.child.exitCode !== null || w.child.signalCode !== null);
        if (dead >= 0) throw new Error(`worker ${dead + 1} exited during the run (code ${procs[dead]!.child.exitCode}, signal ${procs[dead]!.child.signalCode})`);
      };
    } else {
      app.startDispatch();
    }

    const tenantId = await setUp(running, adminKey, fake, count);

    // The ceiling first, so the fake is warm and the campaign does not compete with it. The
    // better of two passes: a ceiling should not be lowered by a noisy moment.
    const bare = Math.max(await bareCeiling(fake, count, concurrency, null), await bareCeiling(fake, count, concurrency, null));
    const sink = await startSink();
    cleanups.push(() => sink.close());
    const bareWithReports = await bareCeiling(fake, count, concurrency, sink.url);

    if (scaleOut) await waitForEmptyQueue(app);
    const target = scaleOut ? 0.5 : 0.25;
    const result = await runCampaign(app, running, adminKey, tenantId, count, checkWorkers);
    console.log(
      JSON.stringify({
        bench: 'campaign',
        mode: scaleOut ? 'scale-out' : 'embedded',
        database: app.db.driver,
        queue: app.queue.driver,
        workers,
        concurrency,
        cpus: availableParallelism(),
        recipients: count,
        acceptSeconds: round(result.acceptSeconds),
        sentSeconds: round(result.sentSeconds),
        deliveredSeconds: round(result.deliveredSeconds),
        sendsPerSecond: Math.round(count / result.deliveredSeconds),
        bareClient: 'fetch',
        bareRequestsPerSecond: Math.round(bare),
        bareWithReportsRequestsPerSecond: Math.round(bareWithReports),
        ratio: round(count / result.deliveredSeconds / bare, 3),
        target,
        meetsTarget: count / result.deliveredSeconds / bare >= target,
      }),
    );
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => console.error(`campaign bench: cleanup failed: ${(err as Error).message}`));
    }
  }
}

/** A fresh database on the DATABASE_URL server, dropped at the end; returns its URL. */
/** A fresh database on the server at `serverUrl`, dropped by the cleanups. */
export async function createDatabase(serverUrl: string, cleanups: Array<() => Promise<unknown>>): Promise<string> {
  const name = `send_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

/** `npm run worker`'s command in its own process; ready once it logs 'worker started'. */
function spawnWorker(index: number, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, serviceCommand('worker'), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${index} did not start within ${WORKER_START_MS / 1000} s`)), WORKER_START_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker ${index} exited before it started (code ${code}, signal ${signal})`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { level?: number; msg?: string } | null = null;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string };
      } catch {
        // Not a log line: shown as is.
      }
      if (entry?.msg === 'worker started') {
        clearTimeout(timer);
        resolve();
      }
      // Info lines are only asked for to see the start; warnings and worse are shown.
      if (!entry || (entry.level ?? 0) >= 40) process.stderr.write(`[worker ${index}] ${line}\n`);
    });
  });
  // A rejection after a successful start (the exit at the end) is not an error.
  ready.catch(() => undefined);
  return { child, ready, exited };
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([worker.exited.then(() => true), sleep(WORKER_STOP_MS).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await worker.exited;
  }
}

async function graphql<T>(running: RunningServer, adminKey: string, query: string, variables: unknown = {}): Promise<T> {
  const res = await fetch(`${running.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Tenant, purpose, SMS channel on the fake and `count` recipients; returns the tenant id. */
async function setUp(running: RunningServer, adminKey: string, fake: Fake46elks, count: number): Promise<string> {
  const gql = <T>(query: string, variables?: unknown) => graphql<T>(running, adminKey, query, variables);
  const { createTenant } = await gql<{ createTenant: { id: string } }>('mutation { createTenant(input: { name: "Bench" }) { id } }');
  const tenantId = createTenant.id;
  await gql('mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key } }', { t: tenantId });
  await gql('mutation($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }', {
    input: {
      tenantId,
      pluginId: 'sms-46elks',
      // maxPerSecond lifts the plugin's conservative default, which would otherwise be all we measure.
      config: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: FROM, baseUrl: fake.baseUrl, maxPerSecond: 100_000 },
    },
  });
  for (let start = 0; start < count; start += BATCH) {
    const recipients = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => {
      const i = start + k;
      return { externalId: `bench-${i}`, name: personName(i), phone: phone(i) };
    });
    await gql('mutation($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created } }', { input: { tenantId, recipients } });
  }
  return tenantId;
}

/** A tiny delivery-report receiver, so the fake can do its full work without reaching the API. */
async function startSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Requests per second of global fetch (what the plugin calls through) posting the plugin's
 * form bodies to the fake with `concurrency` requests in flight. With `reportTo` the fake
 * also posts a delivery report per message there, as it does during the campaign.
 */
async function bareCeiling(fake: Fake46elks, count: number, concurrency: number, reportTo: string | null): Promise<number> {
  const url = `${fake.baseUrl}/a1/sms`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${FAKE_46ELKS_USERNAME}:${FAKE_46ELKS_PASSWORD}`, 'utf8').toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const body = (i: number) => {
    const form = new URLSearchParams({ from: FROM, to: phone(i), message: BODY.replace('{{name}}', personName(i)) });
    if (reportTo) form.set('whendelivered', reportTo);
    form.set('dontlog', 'message');
    return form.toString();
  };
  const post = async (i: number) => {
    const res = await fetch(url, { method: 'POST', headers, body: body(i) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`bare client: the fake answered ${res.status}: ${text.slice(0, 80)}`);
  };
  const pool = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, n) }, async () => {
        while (next < n) await post(next++);
      }),
    );
  };
  // Opens the connections first, as the dispatcher's have been by the time it is busy.
  await pool(Math.min(count, concurrency * 4));
  const started = performance.now();
  await pool(count);
  const seconds = (performance.now() - started) / 1000;
  // Reports still on their way would otherwise land in the next measurement.
  if (reportTo) await sleep(500);
  return count / seconds;
}

/**
 * The workers share the default queue: jobs left by an earlier, aborted run (their sends are
 * gone, so each is a no-op) are let through before the clock starts.
 */
async function waitForEmptyQueue(app: App): Promise<void> {
  const until = performance.now() + QUEUE_DRAIN_MS;
  let size = await app.queue.size();
  while (size > 0 && performance.now() < until) {
    await sleep(POLL_MS);
    size = await app.queue.size();
  }
  if (size > 0) console.error(`campaign bench: ${size} job(s) from elsewhere are still in the Redis queue; they run alongside`);
}

const ENDED_BADLY = ['FAILED', 'BLOCKED', 'CANCELED'] as const;
const NOT_DELIVERED = ['QUEUED', 'SENDING', 'SENT', ...ENDED_BADLY] as const;

/**
 * Sends by status, DELIVERED counted as the rest: the index on (campaignId, status) then
 * only walks the sends still under way, so polling costs less as the run goes on.
 */
async function statusCounts(app: App, campaignId: string, count: number): Promise<Record<string, number>> {
  const rows = await app.prisma.send.groupBy({ by: ['status'], where: { campaignId, status: { in: [...NOT_DELIVERED] } }, _count: { _all: true } });
  const counts: Record<string, number> = Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  const delivered = count - rows.reduce((sum, r) => sum + r._count._all, 0);
  return delivered ? { ...counts, DELIVERED: delivered } : counts;
}

async function runCampaign(app: App, running: RunningServer, adminKey: string, tenantId: string, count: number, checkWorkers: () => void) {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const { createCampaign } = await graphql<{ createCampaign: { id: string } }>(
    running,
    adminKey,
    'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
    { input: { tenantId, name: 'Bench', channel: 'SMS', purpose: 'receipts', message: { body: BODY } } },
  );
  const acceptSeconds = elapsed();
  const campaignId = decodeGlobalId(createCampaign.id)?.id;
  if (!campaignId) throw new Error(`createCampaign returned an unexpected id: ${createCampaign.id}`);
  const total = await app.prisma.send.count({ where: { campaignId } });
  if (total !== count) throw new Error(`the campaign holds ${total} sends, expected ${count}`);

  let sentSeconds: number | null = null;
  let last = '';
  let lastChange = performance.now();
  let lastProgress = performance.now();
  for (;;) {
    checkWorkers();
    const counts = await statusCounts(app, campaignId, count);
    const now = performance.now();
    const bad = ENDED_BADLY.filter((s) => counts[s]);
    if (bad.length) {
      const sample = await app.prisma.send.findFirst({ where: { campaignId, status: { in: [...bad] } }, select: { status: true, statusReason: true } });
      throw new Error(`sends ended badly after ${round(elapsed())} s: ${JSON.stringify(counts)}; e.g. ${sample?.status}: ${sample?.statusReason}`);
    }
    if (sentSeconds === null && !counts.QUEUED && !counts.SENDING) sentSeconds = elapsed();
    if (counts.DELIVERED === count) {
      const deliveredSeconds = elapsed();
      // Counted outright once, since the polls only inferred it.
      const delivered = await app.prisma.send.count({ where: { campaignId, status: 'DELIVERED' } });
      if (delivered !== count) throw new Error(`${delivered} of ${count} sends are DELIVERED at the end`);
      return { acceptSeconds, sentSeconds: sentSeconds ?? deliveredSeconds, deliveredSeconds };
    }

    const key = JSON.stringify(counts);
    if (key !== last) [last, lastChange] = [key, now];
    if (now - lastChange > STALL_MS) {
      const lost = !counts.QUEUED && !counts.SENDING ? ` (${counts.SENT} SENT without a delivery report: reports lost on the way?)` : '';
      throw new Error(`no progress for ${STALL_MS / 1000} s: ${key}${lost}`);
    }
    if (now - t0 > MAX_WAIT_MS) throw new Error(`not all delivered within ${MAX_WAIT_MS / 60_000} min: ${key}`);
    if (now - lastProgress > 10_000) {
      console.error(`campaign bench: ${round(elapsed(), 1)} s ${key}`);
      lastProgress = now;
    }
    await sleep(POLL_MS);
  }
}
