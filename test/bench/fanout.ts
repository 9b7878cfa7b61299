// The `fanout` benchmark: the service started as `npm start` starts it (or on a fresh
// PostgreSQL database with DATABASE_URL), each measure next to a bare baseline in the same run.
// - subscriptions: 1,000 graphql-ws subscribers on sendStatusChanged while small campaigns
//   make the dispatcher write about 500 events a second, latency from each event's `at` to
//   its receipt, against a bare graphql-ws server publishing the same shape from memory at the
//   same rate to the same subscribers, spread over the same tenants, read by the same client;
// - webhooks: 10,000 events (a campaign of 2,500 dev-sms sends) delivered to a receiver here,
//   against a bare undici client posting the same bodies to it at the service's concurrency.
// One JSON line per measure; rows go to test/bench/RESULTS.md.
import { execSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { freePort } from '../processes.ts';
import { graphqlAt, peakRssMb, spawnChild, startService, waitUntilUp, type Gql } from './api.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = new URL('./RESULTS.md', import.meta.url);

const SUBSCRIBERS = 1_000;
/**
 * Every subscriber follows its tenant's whole log, so each event reaches the tenant's
 * subscribers: 100 tenants of 10 make a fan-out of 10, 5,000 deliveries a second at 500 events
 * a second (one tenant of 1,000 would be 500,000, more than two cores can carry).
 */
const TENANTS = 100;
const EVENTS_PER_SECOND = 500;
/** A dev-sms send writes QUEUED, SENDING, SENT and DELIVERED. */
const EVENTS_PER_SEND = 4;
/** Each tenant's campaigns go to all its recipients: this many sends, one campaign every CAMPAIGN_INTERVAL_MS. */
const RECIPIENTS_PER_TENANT = 10;
const CAMPAIGN_INTERVAL_MS = (RECIPIENTS_PER_TENANT * EVENTS_PER_SEND * 1000) / EVENTS_PER_SECOND;
/** createCampaign requests in flight at most: a service that falls behind is not buried under more. */
const CREATE_CONCURRENCY = 32;
const CONNECT_CONCURRENCY = 50;
const SEED_CONCURRENCY = 10;
const WARM_UP_MS = 60_000;
/** After the writes: how long to wait for the last events, and how long a quiet spell means none are coming. */
const DRAIN_MS = 60_000;
const QUIET_MS = 5_000;

const WEBHOOK_SENDS = 2_500;
const WEBHOOK_EVENTS = WEBHOOK_SENDS * EVENTS_PER_SEND;
/** The service's default WEBHOOK_CONCURRENCY, set explicitly so the bare client matches it. */
const WEBHOOK_CONCURRENCY = 32;
const WEBHOOK_MAX_WAIT_MS = 10 * 60_000;
const WEBHOOK_STALL_MS = 60_000;

const SUBSCRIPTION = 'subscription($tenantId: ID!) { sendStatusChanged(tenantId: $tenantId) { status at providerAt cursor send { id } } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => +n.toFixed(digits);

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Runs `work` over `items` with at most `concurrency` at once, results in order. */
async function inTurns<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

export async function fanout(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 15);
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 60) throw new Error('seconds must be from 5 to 60');
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const { service, origin, adminKey, database } = await startService(cleanups, { WEBHOOK_CONCURRENCY: String(WEBHOOK_CONCURRENCY) });
    const barePort = await freePort();
    const bareOrigin = `http://127.0.0.1:${barePort}`;
    const bare = spawnChild(cleanups, ['test/bench/bare-graphql-ws.ts'], { PORT: String(barePort) });
    await Promise.all([waitUntilUp(`${origin}/healthz`, service), waitUntilUp(bareOrigin, bare)]);
    const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const gql = graphqlAt(origin);

    const tenants = await inTurns(Array.from({ length: TENANTS }, (_, i) => i), SEED_CONCURRENCY, (i) => seedTenant(gql, adminKey, `Fanout ${i} AB`, RECIPIENTS_PER_TENANT));
    const ours = await measureSubscriptions(origin, tenants, seconds, serviceWriter(gql, adminKey, tenants));
    const bareTenants = tenants.map((t, i) => ({ ...t, id: `tenant-${i}` }));
    const baseline = await measureSubscriptions(bareOrigin, bareTenants, seconds, bareWriter(bareOrigin, bareTenants));
    const subscriptions = {
      bench: 'fanout',
      measure: 'subscriptions',
      database,
      subscribers: SUBSCRIBERS,
      tenants: TENANTS,
      fanOut: SUBSCRIBERS / TENANTS,
      targetEventsPerSecond: EVENTS_PER_SECOND,
      seconds,
      ours,
      bareGraphqlWs: baseline,
      ratio: round(ours.deliveriesPerSecond / baseline.deliveriesPerSecond, 3),
      servicePeakRssMb: await peakRssMb(service.pid!),
      barePeakRssMb: await peakRssMb(bare.pid!),
    };
    console.log(JSON.stringify(subscriptions));

    const webhooks = await measureWebhooks(gql, adminKey, cleanups);
    const webhookResult = { bench: 'fanout', measure: 'webhooks', database, ...webhooks, ratio: round(webhooks.ours.deliveriesPerSecond / webhooks.bareUndici.postsPerSecond, 3), servicePeakRssMb: await peakRssMb(service.pid!) };
    console.log(JSON.stringify(webhookResult));

    await appendRows([
      row(commit, database, `subscriptions: deliveries/s to ${SUBSCRIBERS} subscribers over ${TENANTS} tenants (fan-out ${SUBSCRIBERS / TENANTS}); ${ours.eventsWritten} events written at ${ours.eventsPerSecond}/s (bare ${baseline.eventsPerSecond}/s); ${ours.missing} missing, ${ours.duplicates} duplicated`, {
        ours: ours.deliveriesPerSecond,
        baseline: baseline.deliveriesPerSecond,
        ratio: subscriptions.ratio,
        p50: `${ours.p50Ms} / ${baseline.p50Ms}`,
        p99: `${ours.p99Ms} / ${baseline.p99Ms}`,
        rss: subscriptions.servicePeakRssMb,
      }),
      row(commit, database, `webhooks: deliveries/s, ${webhooks.ours.received} of ${WEBHOOK_EVENTS} events, ${webhooks.ours.duplicates} duplicated, concurrency ${WEBHOOK_CONCURRENCY}`, {
        ours: webhooks.ours.deliveriesPerSecond,
        baseline: webhooks.bareUndici.postsPerSecond,
        ratio: webhookResult.ratio,
        p50: `${webhooks.ours.p50Ms} / –`,
        p99: `${webhooks.ours.p99Ms} / –`,
        rss: webhookResult.servicePeakRssMb,
      }),
    ]);
  } finally {
    for (const step of cleanups.reverse()) await step().catch((err: unknown) => console.error(`fanout bench: cleanup failed: ${(err as Error).message}`));
  }
}

interface SeededTenant {
  id: string;
  viewer: string;
  sender: string;
  recipients: number;
  /** The recipient of the warm-up send. */
  firstRecipientId: string;
}

/** A tenant with VIEWER and SENDER keys, the purpose "receipts", the dev-sms channel and `recipients` recipients. */
async function seedTenant(gql: Gql, adminKey: string, name: string, recipients: number): Promise<SeededTenant> {
  const id: string = (await gql('mutation($name: String!) { createTenant(input: { name: $name }) { id } }', { name }, adminKey)).createTenant.id;
  const keys = await gql(
    `mutation($t: ID!, $r: [RecipientItemInput!]!) {
      viewer: createApiKey(input: { tenantId: $t, name: "bench viewer", role: VIEWER }) { secret }
      sender: createApiKey(input: { tenantId: $t, name: "bench sender", role: SENDER }) { secret }
      definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
      configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
      upsertRecipients(input: { tenantId: $t, recipients: $r }) { created }
    }`,
    { t: id, r: Array.from({ length: recipients }, (_, i) => ({ externalId: `r${i}`, name: `Person ${i}`, phone: `+4670${String(i).padStart(7, '0')}` })) },
    adminKey,
  );
  const first = await gql('query($t: ID!) { tenant(id: $t) { recipients(first: 1) { nodes { id } } } }', { t: id }, adminKey);
  return { id, viewer: keys.viewer.secret, sender: keys.sender.secret, recipients, firstRecipientId: first.tenant.recipients.nodes[0].id };
}

/** What makes the events of one side: the service's dispatcher, or the bare server from memory. */
interface Writer {
  /** Writes one send's events in every tenant, to know every subscriber is live before measuring. */
  warmUp(): Promise<void>;
  /** Writes at EVENTS_PER_SECOND for `seconds`; the events each tenant should receive, as far as known then. */
  write(seconds: number): Promise<number[]>;
  /** Once they have settled: the events each tenant's log holds from the writes (not the warm-up), and the time (ms) of the last. */
  written(): Promise<{ perTenant: number[]; lastAt: number }>;
}

const CREATE_CAMPAIGN = 'mutation($t: ID!) { createCampaign(input: { tenantId: $t, name: "Bench", channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }';
const CREATE_SEND = 'mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }';

function serviceWriter(gql: Gql, adminKey: string, tenants: SeededTenant[]): Writer {
  const warmUpSends = new Set<string>();
  return {
    async warmUp() {
      const ids = await inTurns(tenants, SEED_CONCURRENCY, async (t) => (await gql(CREATE_SEND, { r: t.firstRecipientId }, t.sender)).createSend.id as string);
      for (const id of ids) warmUpSends.add(id);
    },
    async write(seconds) {
      // One campaign of every recipient of a tenant each CAMPAIGN_INTERVAL_MS, round robin over
      // the tenants, each due at its time; at most CREATE_CONCURRENCY in flight.
      const total = Math.floor((seconds * 1000) / CAMPAIGN_INTERVAL_MS);
      const created = tenants.map(() => 0);
      const failures: string[] = [];
      const inFlight = new Set<Promise<void>>();
      const started = performance.now();
      let issued = 0;
      while (issued < total && performance.now() - started < seconds * 1000) {
        const due = Math.min(total, Math.floor((performance.now() - started) / CAMPAIGN_INTERVAL_MS) + 1);
        while (issued < due && inFlight.size < CREATE_CONCURRENCY) {
          const tenant = issued++ % tenants.length;
          const t = tenants[tenant]!;
          const call: Promise<void> = gql(CREATE_CAMPAIGN, { t: t.id }, t.sender)
            .then(() => void (created[tenant]! += t.recipients), (err: Error) => void failures.push(err.message))
            .finally(() => inFlight.delete(call));
          inFlight.add(call);
        }
        await sleep(1);
      }
      await Promise.all(inFlight);
      if (failures.length) throw new Error(`${failures.length} createCampaign calls failed, e.g. ${failures[0]}`);
      return created.map((n) => n * EVENTS_PER_SEND);
    },
    async written() {
      let lastAt = 0;
      const perTenant = await inTurns(tenants, SEED_CONCURRENCY, async (t) => {
        let events = 0;
        for (let after: string | null = null; ; ) {
          const page: any = (await gql('query($t: ID!, $after: String) { tenant(id: $t) { sends(first: 100, after: $after) { nodes { id events { at } } pageInfo { hasNextPage endCursor } } } }', { t: t.id, after }, adminKey)).tenant.sends;
          for (const send of page.nodes) {
            if (warmUpSends.has(send.id)) continue;
            events += send.events.length;
            for (const event of send.events) lastAt = Math.max(lastAt, Date.parse(event.at));
          }
          if (!page.pageInfo.hasNextPage) return events;
          after = page.pageInfo.endCursor;
        }
      });
      return { perTenant, lastAt };
    },
  };
}

function bareWriter(origin: string, tenants: Array<{ id: string }>): Writer {
  const publish = async (eventsPerSecond: number, seconds: number) => {
    const res = await fetch(`${origin}/publish`, { method: 'POST', body: JSON.stringify({ tenantIds: tenants.map((t) => t.id), eventsPerSecond, seconds }) });
    const counts = (await res.json()) as Record<string, number>;
    return tenants.map((t) => counts[t.id] ?? 0);
  };
  let published = { perTenant: [] as number[], lastAt: 0 };
  return {
    warmUp: async () => void (await publish(tenants.length * EVENTS_PER_SEND * 10, 0.1)),
    async write(seconds) {
      published = { perTenant: await publish(EVENTS_PER_SECOND, seconds), lastAt: Date.now() };
      return published.perTenant;
    },
    written: async () => published,
  };
}

interface Subscriber {
  tenant: number;
  client: Client;
  cursors: Set<string>;
  received: number;
  duplicates: number;
  /** How the stream ended early, if it did. */
  ended: string | null;
}

/** Receipt figures shared by every subscriber of one run. */
interface Tally {
  /** Receipt time minus the event's `at`, for events whose `at` is the writer's clock. */
  latencies: number[];
  lastReceipt: number;
}

/**
 * One graphql-ws connection and subscription with the tenant's VIEWER token; resolves once the
 * server has acknowledged the connection.
 */
function openSubscriber(origin: string, tenant: number, tenantId: string, token: string, tally: Tally): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    let connected = false;
    const client = createClient({
      url: `${origin.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: {
        connected: () => {
          connected = true;
          resolve(subscriber);
        },
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          if (!connected) reject(new Error(`subscriber ${tenant} closed before it connected: ${code} ${reason}`));
          else if (code !== 1000) subscriber.ended ??= `closed ${code} ${reason}`;
        },
      },
    });
    const subscriber: Subscriber = { tenant, client, cursors: new Set(), received: 0, duplicates: 0, ended: null };
    client.subscribe<{ sendStatusChanged: { status: string; at: string; providerAt: string | null; cursor: string } }>(
      { query: SUBSCRIPTION, variables: { tenantId } },
      {
        next: (result) => {
          const now = Date.now();
          const event = result.data?.sendStatusChanged;
          if (!event) {
            subscriber.ended ??= `errors ${JSON.stringify(result.errors)}`;
            return;
          }
          subscriber.received++;
          if (subscriber.cursors.has(event.cursor)) subscriber.duplicates++;
          else subscriber.cursors.add(event.cursor);
          // A provider report's `at` is the provider's time; only the writer's own clock is measured.
          if (event.providerAt === null) tally.latencies.push(now - Date.parse(event.at));
          tally.lastReceipt = now;
        },
        error: (err) => void (subscriber.ended ??= `error ${JSON.stringify(err)}`),
        complete: () => void (subscriber.ended ??= 'completed'),
      },
    );
  });
}

/** Resolves once every subscriber has `expected[tenant]` events, or after `quietMs` without any, or at `deadline`. */
async function settle(subscribers: Subscriber[], expected: number[], quietMs: number, deadline: number): Promise<void> {
  let total = -1;
  let changed = performance.now();
  while (performance.now() < deadline) {
    if (subscribers.every((s) => s.received >= expected[s.tenant]! || s.ended)) return;
    const now = subscribers.reduce((sum, s) => sum + s.received, 0);
    if (now !== total) [total, changed] = [now, performance.now()];
    else if (performance.now() - changed > quietMs) return;
    await sleep(100);
  }
}

async function measureSubscriptions(origin: string, tenants: Array<{ id: string; viewer: string }>, seconds: number, writer: Writer) {
  const tally: Tally = { latencies: [], lastReceipt: 0 };
  const subscribersPerTenant = SUBSCRIBERS / TENANTS;
  const subscribers = await inTurns(Array.from({ length: SUBSCRIBERS }, (_, i) => i % TENANTS), CONNECT_CONCURRENCY, (tenant) => openSubscriber(origin, tenant, tenants[tenant]!.id, tenants[tenant]!.viewer, tally));
  try {
    await writer.warmUp();
    await settle(subscribers, tenants.map(() => EVENTS_PER_SEND), WARM_UP_MS, performance.now() + WARM_UP_MS);
    const late = subscribers.filter((s) => s.received < EVENTS_PER_SEND);
    if (late.length) throw new Error(`${late.length} subscribers did not receive the warm-up events within ${WARM_UP_MS / 1000} s, e.g. ${late[0]!.ended ?? `${late[0]!.received} events`}`);
    for (const s of subscribers) [s.cursors, s.received, s.duplicates] = [new Set(), 0, 0];
    tally.latencies = [];

    const started = Date.now();
    const provisional = await writer.write(seconds);
    await settle(subscribers, provisional, QUIET_MS, performance.now() + DRAIN_MS);
    const written = await writer.written();
    const events = written.perTenant.reduce((a, b) => a + b, 0);
    const deliveries = subscribers.reduce((sum, s) => sum + s.received, 0);
    const latencies = tally.latencies.sort((a, b) => a - b);
    // By cursor: each subscriber should hold every event of its tenant's log once.
    const missingOf = (s: Subscriber) => Math.max(0, written.perTenant[s.tenant]! - s.cursors.size);
    return {
      eventsWritten: events,
      // Until the last event, not the end of the window: a writer that falls behind shows it.
      eventsPerSecond: round(events / ((written.lastAt - started) / 1000)),
      deliveries,
      expectedDeliveries: events * subscribersPerTenant,
      deliveriesPerSecond: round(deliveries / ((tally.lastReceipt - started) / 1000)),
      missing: subscribers.reduce((sum, s) => sum + missingOf(s), 0),
      duplicates: subscribers.reduce((sum, s) => sum + s.duplicates, 0),
      subscribersMissingSome: subscribers.filter((s) => missingOf(s) > 0).length,
      subscribersWithDuplicates: subscribers.filter((s) => s.duplicates > 0).length,
      subscribersEnded: subscribers.filter((s) => s.ended).length,
      latencySamples: latencies.length,
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      maxMs: round(latencies.at(-1) ?? 0),
    };
  } finally {
    await Promise.all(subscribers.map((s) => s.client.dispose()));
  }
}

interface Receipt {
  at: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A receiver answering 204 to every POST, keeping the first receipt of each webhook-id. */
async function startReceiver() {
  const receipts = new Map<string, Receipt>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (receipts.has(id)) duplicates++;
      else receipts.set(id, { at: Date.now(), body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    receipts,
    duplicates: () => duplicates,
    reset() {
      receipts.clear();
      duplicates = 0;
    },
    /** Receipts per second from the first to the last. */
    rate() {
      const times = [...receipts.values()].map((r) => r.at);
      const span = (Math.max(...times) - Math.min(...times)) / 1000;
      return round(receipts.size / span);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function measureWebhooks(gql: Gql, adminKey: string, cleanups: Array<() => Promise<unknown>>) {
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const tenant = await seedTenant(gql, adminKey, 'Webhooks AB', WEBHOOK_SENDS);
  await gql('mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }', { input: { tenantId: tenant.id, url: receiver.url, description: 'bench receiver' } }, adminKey);

  const started = Date.now();
  await gql('mutation($t: ID!) { createCampaign(input: { tenantId: $t, name: "Bench", channel: SMS, purpose: "receipts", message: { body: "Hej" } }) { id } }', { t: tenant.id }, adminKey);
  let [count, changed] = [0, Date.now()];
  while (receiver.receipts.size < WEBHOOK_EVENTS) {
    if (receiver.receipts.size !== count) [count, changed] = [receiver.receipts.size, Date.now()];
    if (Date.now() - changed > WEBHOOK_STALL_MS || Date.now() - started > WEBHOOK_MAX_WAIT_MS) break;
    await sleep(100);
  }
  // Deliveries retried or made twice would come after the last first receipt.
  await sleep(1_000);
  const receipts = [...receiver.receipts.values()];
  const latencies = receipts
    .map((r) => JSON.parse(r.body) as { data: { at: string; providerAt: string | null } })
    .flatMap((payload, i) => (payload.data.providerAt === null ? [receipts[i]!.at - Date.parse(payload.data.at)] : []))
    .sort((a, b) => a - b);
  const ours = {
    received: receiver.receipts.size,
    expected: WEBHOOK_EVENTS,
    duplicates: receiver.duplicates(),
    deliveriesPerSecond: receiver.rate(),
    campaignToLastSeconds: round((Math.max(...receipts.map((r) => r.at)) - started) / 1000),
    bodyBytes: Math.round(receipts.reduce((sum, r) => sum + Buffer.byteLength(r.body), 0) / receipts.length),
    latencySamples: latencies.length,
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
  };

  // The same bodies with the same headers, each under a webhook-id of its own.
  receiver.reset();
  const agent = new Agent();
  cleanups.push(() => agent.close());
  await inTurns(receipts, WEBHOOK_CONCURRENCY, async (receipt, i) => {
    const { 'user-agent': userAgent, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = receipt.headers;
    const res = await request(receiver.url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'user-agent': String(userAgent), 'webhook-id': `msg_bare_${i}`, 'webhook-timestamp': String(timestamp), 'webhook-signature': String(signature) },
      body: receipt.body,
    });
    await res.body.dump();
    if (res.statusCode !== 204) throw new Error(`the receiver answered ${res.statusCode}`);
  });
  const bareUndici = { posted: receipts.length, received: receiver.receipts.size, postsPerSecond: receiver.rate() };
  return { events: WEBHOOK_EVENTS, concurrency: WEBHOOK_CONCURRENCY, ours, bareUndici };
}

interface RowFigures {
  ours: number;
  baseline: number;
  ratio: number;
  p50: string;
  p99: string;
  rss: number;
}

const row = (commit: string, database: string, measure: string, f: RowFigures) =>
  `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${process.version} | ${availableParallelism()} | fanout | ${measure} | ${database} | ${f.ours} | ${f.baseline} | ${f.ratio} | ${f.p50} | ${f.p99} | ${f.rss} |`;

/**
 * Inserts rows at the end of the table under "## fanout". Not at the end of the file: the api
 * benchmarks append to the table that ends it.
 */
async function appendRows(rows: string[]): Promise<void> {
  const lines = (await readFile(RESULTS, 'utf8')).split('\n');
  const section = lines.indexOf('## fanout');
  const header = lines.findIndex((line, i) => i > section && line.startsWith('|'));
  if (section < 0 || header < 0) throw new Error('test/bench/RESULTS.md has no "## fanout" table');
  let end = header;
  while (lines[end]?.startsWith('|')) end++;
  lines.splice(end, 0, ...rows);
  await writeFile(RESULTS, lines.join('\n'));
}
