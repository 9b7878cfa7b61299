// Benchmarks: `npm run bench <name>`. Each prints its figures as JSON lines.
import { randomBytes } from 'node:crypto';
import { apiRead, apiWrite } from './api.ts';
import { campaign } from './campaign.ts';
import { fanout } from './fanout.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createYogaApp } from '../../src/server.ts';

const benchmarks: Record<string, (args: string[]) => Promise<void>> = {
  /** 10,000 recipients through upsertRecipients on the embedded default (or DATABASE_URL). */
  async 'recipients-import'() {
    const adminKey = `sk_admin_bench_${randomBytes(16).toString('hex')}`;
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', ADMIN_API_KEY: adminKey, MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' });
    const app = await createApp(config, { inMemory: true });
    const yoga = createYogaApp(app);
    const gql = async (query: string, variables: unknown) => {
      const res = await yoga.fetch(new URL('/graphql', 'http://bench'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const tenantId = (await gql('mutation { createTenant(input: { name: "Bench" }) { id } }', {})).createTenant.id;
    const recipients = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: `bench-${i}`,
      name: `Person ${i}`,
      phone: `070-${String(1_000_000 + i).slice(-7)}`,
      email: `person${i}@example.com`,
    }));
    const mutation = 'mutation($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created updated } }';
    for (const run of ['create', 'update'] as const) {
      const started = performance.now();
      const result = (await gql(mutation, { input: { tenantId, recipients } })).upsertRecipients;
      const seconds = (performance.now() - started) / 1000;
      console.log(JSON.stringify({ bench: 'recipients-import', run, driver: app.db.driver, recipients: recipients.length, ...result, seconds: +seconds.toFixed(2), perSecond: Math.round(recipients.length / seconds) }));
    }
    await app.close();
  },
  /** `api-read [seconds] [query]`: the 50-send page at 50 connections against bare graphql-yoga; see api.ts. */
  'api-read': apiRead,
  /** `api-write [seconds]`: createSend at 50 connections against bare graphql-yoga; see api.ts. */
  'api-write': apiWrite,
  /** `campaign [count]`: a campaign (default 10,000 recipients) through the fake 46elks against a bare HTTP client; see campaign.ts. */
  campaign,
  /** `fanout [seconds]`: 1,000 graphql-ws subscribers against a bare graphql-ws server, webhook delivery against bare undici; see fanout.ts. */
  fanout,
};

const name = process.argv[2];
const bench = name ? benchmarks[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench <name>; one of: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
try {
  await bench(process.argv.slice(3));
} catch (err) {
  console.error(`bench ${name} failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
}
// Keep-alive sockets and timers left by the libraries must not keep a finished run alive.
process.exit();
