// `npm start` is what operators and supervisors run: a SIGTERM to npm must stop the service
// gracefully, not leave it running behind a dead npm.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPluginRegistry } from '../src/channels/registry.ts';
import { freePort } from './processes.ts';
import { waitFor } from './wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_API_KEY = `sk_admin_${'n'.repeat(32)}`;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('npm start', () => {
  it('stops the service gracefully when npm receives SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'send-npm-start-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir, NODE_ENV: 'test', DATA_DIR: dataDir, PORT: String(port), MASTER_KEY: randomBytes(32).toString('base64'), ADMIN_API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    npm.stdout.on('data', (chunk: Buffer) => output.push(String(chunk)));
    npm.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    });
    await waitFor(async () => output.join(''), (text) => text.includes('"listening"'), 60_000, 100);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // The compiled service (dist/) migrated its database and found every plugin folder.
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const plugins = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_API_KEY}` },
      body: JSON.stringify({ query: '{ channelPlugins { id } }' }),
    }).then((res) => res.json() as Promise<{ data: { channelPlugins: Array<{ id: string }> } }>);
    expect(plugins.data.channelPlugins.map((p) => p.id).sort()).toEqual(createPluginRegistry({ allowDevPlugins: true }).ids().sort());

    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('"shutting down"');
    // Nothing answers on the port any more: the server went with npm.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 90_000);
});
