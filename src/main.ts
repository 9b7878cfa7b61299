// CLI entry: serve | worker | migrate | rotate-keys.
import { createApp, type App } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { rewrapTenantKeys } from './privacy/rotate-keys.ts';
import { startServer } from './server.ts';

function announceGenerated(config: Config): void {
  // Plain stdout, not the logger: the operator must see this once, and logs never hold secrets.
  if (config.generated.adminApiKey) {
    process.stdout.write(
      `\nGenerated an operator API key (PLATFORM_ADMIN), kept in ${config.dataDir}/admin-api-key:\n\n  ${config.generated.adminApiKey}\n\n` +
        `Use it as:  Authorization: Bearer <key>\n\n`,
    );
  }
  if (config.generated.masterKey) process.stdout.write(`Generated a master key for field encryption, kept in ${config.dataDir}/master-key\n`);
}

async function serve(config: Config): Promise<void> {
  announceGenerated(config);
  const app = await createApp(config);
  // The embedded default dispatches in this process; with Redis, worker processes do.
  if (app.queue.driver === 'in-process') app.startDispatch();
  const running = await startServer(app);
  app.log.info({ url: `${running.url}/graphql`, database: app.db.driver, queue: app.queue.driver }, 'listening');
  onShutdown(app.log, async () => {
    await running.close();
    await app.close();
  });
}

function onShutdown(log: App['log'], close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A dispatch worker for the scale-out mode: takes send ids from BullMQ, runs the sweeper, serves nothing. */
async function worker(config: Config): Promise<void> {
  if (!config.redisUrl || !config.databaseUrl) {
    throw new ConfigError('Invalid configuration: `worker` needs REDIS_URL and DATABASE_URL (the embedded default dispatches inside `serve`)');
  }
  const app = await createApp(config);
  app.startDispatch();
  app.log.info({ concurrency: config.dispatch.concurrency, database: app.db.driver }, 'worker started');
  onShutdown(app.log, () => app.close());
}

async function migrateOnly(config: Config): Promise<void> {
  if (!config.databaseUrl) throw new ConfigError('Invalid configuration: DATABASE_URL is required for `migrate` (the embedded database migrates itself at start)');
  const db = await openDatabase({ databaseUrl: config.databaseUrl });
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  } finally {
    await db.close();
  }
}

async function rotateKeys(config: Config): Promise<void> {
  const app = await createApp(config);
  try {
    const count = await rewrapTenantKeys(app.prisma, app.keyRing);
    process.stdout.write(`Re-wrapped ${count} tenant data key(s) with master key version ${config.masterKeyVersion}.\n`);
  } finally {
    await app.close();
  }
}

const commands: Record<string, (config: Config) => Promise<void>> = { serve, worker, migrate: migrateOnly, 'rotate-keys': rotateKeys };

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'serve';
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}\n`);
    process.exit(2);
  }
  await command(loadConfig());
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Fatal: ${(err as Error).message}`}\n`);
  process.exit(1);
});
