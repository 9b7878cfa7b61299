// The command line: `npm start` (serve), `npm run worker`, `npm run cli -- <command>`.
// `help` lists every command with its options.
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.ts';
import { createApiKey, revokeApiKey } from './auth/api-keys.ts';
import { OPERATOR } from './auth/principal.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { Role } from './db/generated/enums.ts';
import { AppError } from './errors.ts';
import { errorFields } from './log.ts';
import { decodeGlobalId, encodeGlobalId, isUuid } from './ids.ts';
import { rewrapTenantKeys } from './privacy/rotate-keys.ts';
import { processingRecord, processingRecordMarkdown, subprocessorRegisterMarkdown } from './privacy/processing-record.ts';
import { createPluginRegistry } from './channels/registry.ts';
import { startServer } from './server.ts';
import { createTenant } from './tenants/tenants.ts';

interface Command {
  summary: string;
  /** Option name -> what it takes; every option is a string. */
  options?: Record<string, { description: string; required?: boolean }>;
  run(config: Config, options: Record<string, string | undefined>): Promise<void>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function announceGenerated(config: Config): void {
  // Plain stdout, not the logger: the operator must see this once, and logs never hold secrets.
  if (config.generated.adminApiKey) {
    say(`\nGenerated an operator API key (PLATFORM_ADMIN), kept in ${config.dataDir}/admin-api-key:\n\n  ${config.generated.adminApiKey}\n\nUse it as:  Authorization: Bearer <key>\n`);
  }
  if (config.generated.masterKey) say(`Generated a master key for field encryption, kept in ${config.dataDir}/master-key`);
}

/** Margin past SHUTDOWN_GRACE_MS for closing connections before the process exits regardless. */
const SHUTDOWN_MARGIN_MS = 10_000;

function onShutdown(log: App['log'], graceMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    // A second signal (Ctrl-C reaches both npm and the service) changes nothing.
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, 'shutting down');
    setTimeout(() => {
      log.error({ graceMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, graceMs + SHUTDOWN_MARGIN_MS).unref();
    try {
      await close();
    } catch (err) {
      log.error({ err: errorFields(err) }, 'shutdown failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Runs `work` with the service's parts, then closes them. */
async function withApp<T>(config: Config, work: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(config);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** A database id from a raw uuid or a global id of `typename`, as GraphQL shows them. */
function idOf(value: string, typename: string, option: string): string {
  if (isUuid(value)) return value;
  const decoded = decodeGlobalId(value);
  if (decoded?.typename !== typename) throw new AppError('BAD_USER_INPUT', `--${option}: not a valid ${typename} id`);
  return decoded.id;
}

const commands: Record<string, Command> = {
  serve: {
    summary: 'Serve GraphQL, provider webhooks and health probes (and dispatch, on the embedded default). What `npm start` runs.',
    async run(config) {
      announceGenerated(config);
      const app = await createApp(config);
      // The embedded default dispatches in this process; with Redis, worker processes do.
      if (app.queue.driver === 'in-process') app.startDispatch();
      const running = await startServer(app);
      app.log.info({ url: `${running.url}/graphql`, database: app.db.driver, queue: app.queue.driver }, 'listening');
      const graceMs = config.shutdownGraceMs;
      onShutdown(app.log, graceMs, async () => {
        // Requests in flight and dispatches (provider calls) finish side by side within the grace period.
        await Promise.all([running.close({ graceMs }), app.queue.close({ graceMs })]);
        await app.close();
      });
    },
  },
  worker: {
    summary: 'Dispatch sends from the Redis queue and run the sweeper; serves nothing. Needs REDIS_URL and DATABASE_URL. What `npm run worker` runs.',
    async run(config) {
      if (!config.redisUrl || !config.databaseUrl) {
        throw new ConfigError('Invalid configuration: `worker` needs REDIS_URL and DATABASE_URL (the embedded default dispatches inside `serve`)');
      }
      const app = await createApp(config);
      app.startDispatch();
      app.log.info({ concurrency: config.dispatch.concurrency, database: app.db.driver }, 'worker started');
      onShutdown(app.log, config.shutdownGraceMs, () => app.close({ graceMs: config.shutdownGraceMs }));
    },
  },
  migrate: {
    summary: 'Apply pending database migrations to DATABASE_URL without starting the service.',
    async run(config) {
      if (!config.databaseUrl) throw new ConfigError('Invalid configuration: DATABASE_URL is required for `migrate` (the embedded database migrates itself at start)');
      const db = await openDatabase({ databaseUrl: config.databaseUrl });
      try {
        const applied = await migrate(db);
        say(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      } finally {
        await db.close();
      }
    },
  },
  'rotate-keys': {
    summary: 'Re-wrap every tenant data key with the current MASTER_KEY (keep older keys in PREVIOUS_MASTER_KEYS until this has run).',
    async run(config) {
      const count = await withApp(config, (app) => rewrapTenantKeys(app.prisma, app.keyRing));
      say(`Re-wrapped ${count} tenant data key(s) with master key version ${config.masterKeyVersion}.`);
    },
  },
  'tenant:create': {
    summary: 'Create a tenant (a data controller), as createTenant does.',
    options: { name: { description: 'the tenant name', required: true }, country: { description: 'ISO 3166 country for national phone numbers (default SE)' } },
    async run(config, { name, country }) {
      const tenant = await withApp(config, (app) => createTenant(app, OPERATOR, { name: name!, defaultCountry: country }));
      say(`Created tenant "${tenant.name}": ${encodeGlobalId('Tenant', tenant.id)}`);
    },
  },
  'key:create': {
    summary: 'Create an API key; the secret is printed once and only its hash is kept.',
    options: {
      role: { description: `one of ${Object.values(Role).join(', ')}`, required: true },
      name: { description: 'what the key is for', required: true },
      tenant: { description: 'the tenant id (global or raw); leave out only for PLATFORM_ADMIN' },
    },
    async run(config, { role, name, tenant }) {
      const tenantId = tenant ? idOf(tenant, 'Tenant', 'tenant') : null;
      const { apiKey, secret } = await withApp(config, (app) => createApiKey(app, OPERATOR, { tenantId, name: name!, role: role as Role }));
      say(`Created ${apiKey.role} key "${apiKey.name}" (${encodeGlobalId('ApiKey', apiKey.id)}). Its secret, shown only now:\n\n  ${secret}\n`);
    },
  },
  'key:revoke': {
    summary: 'Revoke an API key: requests with it are refused from now on.',
    options: { id: { description: 'the API key id (global or raw)', required: true } },
    async run(config, { id }) {
      const key = await withApp(config, (app) => revokeApiKey(app, OPERATOR, { id: idOf(id!, 'ApiKey', 'id') }));
      say(`Revoked key "${key.name}" (${encodeGlobalId('ApiKey', key.id)}) at ${key.revokedAt!.toISOString()}.`);
    },
  },
  'processing-record': {
    summary: "Print a tenant's records of processing (GDPR Art. 30(2)) as Markdown, as Tenant.processingRecord has them.",
    options: { tenant: { description: 'the tenant id (global or raw)', required: true } },
    async run(config, { tenant }) {
      const tenantId = idOf(tenant!, 'Tenant', 'tenant');
      say(await withApp(config, async (app) => processingRecordMarkdown(await processingRecord(app, tenantId))));
    },
  },
  register: {
    summary: 'Print the subprocessor register of every installed plugin as Markdown, for a public privacy page. What `npm run register` runs.',
    async run(config) {
      say(subprocessorRegisterMarkdown(createPluginRegistry(config)));
    },
  },
};

function help(): string {
  const lines = ['Usage: npm run cli -- <command> [--option value ...]', '', 'Commands:'];
  for (const [name, command] of Object.entries({ ...commands, help: { summary: 'This list.' } })) {
    lines.push(`  ${name.padEnd(19)}${command.summary}`);
    for (const [option, spec] of Object.entries((command as Command).options ?? {})) {
      lines.push(`      --${option.padEnd(12)}${spec.description}${spec.required ? ' (required)' : ''}`);
    }
  }
  lines.push('', 'Configuration comes from the environment (see the README); a bad value stops with one line naming it.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const [name = 'serve', ...rest] = process.argv.slice(2);
  if (name === 'help' || name === '--help' || name === '-h') {
    say(help());
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    process.exit(2);
  }
  const specs = command.options ?? {};
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: rest, options: Object.fromEntries(Object.keys(specs).map((o) => [o, { type: 'string' as const }])), strict: true }).values as Record<string, string | undefined>;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${help()}\n`);
    process.exit(2);
  }
  const missing = Object.entries(specs).find(([option, spec]) => spec.required && !values[option]);
  if (missing) {
    process.stderr.write(`${name} needs --${missing[0]} (${missing[1].description}).\n`);
    process.exit(2);
  }
  await command.run(loadConfig(), values);
}

main().catch((err) => {
  const message = err instanceof ConfigError || err instanceof AppError ? err.message : `Fatal: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
