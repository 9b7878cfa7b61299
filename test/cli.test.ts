// The operator's command line, run as an operator would: help, then bootstrapping a tenant and
// its first key without GraphQL, and revoking that key.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPluginRegistry } from '../src/channels/registry.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'send-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function cli(...args: Array<string | Record<string, string>>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.assign({}, ...args.filter((a) => typeof a === 'object')) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args.filter((a) => typeof a === 'string')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, MASTER_KEY: MASTER_KEY, ADMIN_API_KEY: `sk_admin_${'c'.repeat(32)}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
const MASTER_KEY = randomBytes(32).toString('base64');

describe('the command line', () => {
  it('lists every command with its options', async () => {
    const { code, stdout } = await cli('help');
    expect(code).toBe(0);
    for (const command of ['serve', 'worker', 'migrate', 'rotate-keys', 'tenant:create', 'key:create', 'key:revoke', 'processing-record', 'register', 'help']) expect(stdout).toContain(`  ${command} `);
    for (const option of ['--name', '--country', '--role', '--tenant', '--id']) expect(stdout).toContain(option);
  });

  it('refuses an unknown command or a missing option with the reason and exit code 2', async () => {
    const unknown = await cli('tenant:delete');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "tenant:delete"');
    const missing = await cli('key:create', '--name', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('key:create needs --role');
  });

  it('refuses to start a worker without PUBLIC_URL, in one line naming it', async () => {
    const worker = await cli('worker', { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    expect(worker.code).toBe(1);
    expect(worker.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PUBLIC_URL is required with REDIS_URL/)]);
  });

  it('creates a tenant and a key for it, then revokes the key, printing what it did', async () => {
    const tenant = await cli('tenant:create', '--name', 'Bootstrap AB', '--country', 'NO');
    expect(tenant.code).toBe(0);
    const tenantId = /Created tenant "Bootstrap AB": (\S+)/.exec(tenant.stdout)?.[1];
    expect(tenantId).toBeTruthy();

    const key = await cli('key:create', '--tenant', tenantId!, '--role', 'TENANT_ADMIN', '--name', 'first admin');
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/Created TENANT_ADMIN key "first admin" \((\S+)\)\. Its secret, shown only now:\s+sk_\S+/);
    const keyId = /key "first admin" \((\S+)\)/.exec(key.stdout)![1]!;

    const revoked = await cli('key:revoke', '--id', keyId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked key "first admin"');

    const wrongType = await cli('key:revoke', '--id', tenantId!);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('--id: not a valid ApiKey id');
  }, 60_000);

  it("prints a tenant's records of processing as Markdown", async () => {
    const tenant = await cli('tenant:create', '--name', 'Records AB');
    const tenantId = /Created tenant "Records AB": (\S+)/.exec(tenant.stdout)![1]!;
    const record = await cli('processing-record', '--tenant', tenantId);
    expect(record.code).toBe(0);
    expect(record.stdout).toContain('# Record of processing activities: Records AB');
    for (const heading of ['Purposes and legal bases', 'Categories of personal data', 'Subprocessors', 'Retention periods', 'Security measures']) expect(record.stdout).toContain(`## ${heading}`);
    expect(record.stdout).toContain('30 days after the send');
    expect((await cli('processing-record')).stderr).toContain('processing-record needs --tenant');
  }, 60_000);

  it('prints the subprocessor register of every installed plugin as Markdown', async () => {
    const register = await cli('register', { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db', ADMIN_API_KEY: `sk_admin_${'r'.repeat(32)}` });
    expect(register.code).toBe(0);
    const registry = createPluginRegistry({ allowDevPlugins: false });
    const rows = register.stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Subprocessor'));
    const entities = new Set(registry.list().map((p) => p.subprocessor.legalEntity + p.subprocessor.name));
    expect(rows).toHaveLength(entities.size);
    for (const plugin of registry.list()) {
      const { name, legalEntity, location, purpose } = plugin.subprocessor;
      const row = rows.find((line) => line.startsWith(`| ${name} | ${legalEntity} |`));
      expect(row, plugin.id).toContain(`| ${location} |`);
      expect(row).toContain(purpose);
      expect(row).toContain(plugin.channel);
      for (const category of plugin.subprocessor.dataCategories) expect(row).toContain(category);
      expect(row).toContain(plugin.subprocessor.transferMechanism ?? 'None needed (EU/EEA)');
    }
    // Production installs no local catchers, so the public page does not list them.
    expect(register.stdout).not.toContain('development catcher');
  });
});
