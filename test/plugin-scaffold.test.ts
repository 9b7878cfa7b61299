// `npm run plugin:new` and `npm run plugin:fake`: a scaffolded plugin passes its own tests and
// the typecheck as written, refused ids change nothing, and the fake runner prints a config
// that points the plugin at its running fake. Scaffolds go to a scratch folder at the depth of
// plugins/ (so their relative imports resolve), never into plugins/ itself.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelPlugin } from '../src/channels/contract.ts';
import { startLocalFake } from '../src/channels/fake-runner.ts';
import { ScaffoldError, scaffoldPlugin } from '../src/channels/scaffold.ts';
import { configSchema as elksConfigSchema, plugin as elksPlugin } from '../plugins/sms-46elks/index.ts';
import { pluginContext } from './kit/plugin-context.ts';
import { startReceiver } from './kit/receiver.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const IDS = ['sms-acme', 'email-acme-mail', 'push-acme'];

let scratch: string;
const pluginsBefore = readdirSync(join(ROOT, 'plugins')).sort();

beforeAll(() => {
  scratch = join(ROOT, `.scaffold-test-${randomBytes(4).toString('hex')}`);
  mkdirSync(scratch);
  for (const id of IDS) scaffoldPlugin(id, scratch);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  expect(readdirSync(join(ROOT, 'plugins')).sort()).toEqual(pluginsBefore);
});

/** Runs a repository script the way npm would, and returns its exit code and output. */
async function script(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('plugin:new', () => {
  it('writes index.ts, fake-server.ts, PROVIDER.md and the test, every placeholder filled', () => {
    for (const id of IDS) {
      expect(readdirSync(join(scratch, id)).sort()).toEqual(['PROVIDER.md', 'fake-server.ts', 'index.ts', `${id}.test.ts`].sort());
      for (const file of readdirSync(join(scratch, id))) expect(readFileSync(join(scratch, id, file), 'utf8'), `${id}/${file}`).not.toMatch(/__[A-Z][A-Z_]*__/);
    }
    expect(readFileSync(join(scratch, 'email-acme-mail', 'index.ts'), 'utf8')).toContain("channel: 'EMAIL'");
  });

  it("passes its own tests (the conformance suite) and the typecheck at once", async () => {
    writeFileSync(join(scratch, 'vitest.config.mjs'), "export default { test: { include: ['*/*.test.ts'], testTimeout: 30000 } };\n");
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['*/*.ts'] }));
    const vitest = join(ROOT, 'node_modules/.bin/vitest');
    const tests = await run(vitest, ['run', '--root', scratch, '--config', 'vitest.config.mjs', '--reporter', 'json'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(tests.stdout) as { success: boolean; numFailedTests: number; numPassedTests: number; testResults: Array<{ name: string }> };
    expect(report.testResults.map((r) => r.name.slice(scratch.length + 1)).sort()).toEqual(IDS.map((id) => `${id}/${id}.test.ts`).sort());
    expect({ success: report.success, failed: report.numFailedTests }).toEqual({ success: true, failed: 0 });
    expect(report.numPassedTests).toBeGreaterThanOrEqual(IDS.length * 10);
    // tsc exits non-zero (and run rejects) on any type error.
    const tsc = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(scratch, 'tsconfig.json'), '--listFiles'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    for (const id of IDS) expect(tsc.stdout).toContain(join(scratch, id, 'index.ts'));
  }, 180_000);

  it('refuses, with a message and exit code 1, an id that exists or is not a plugin id; nothing is written', async () => {
    for (const [id, message] of [
      ['sms-46elks', 'plugins/sms-46elks exists already'],
      ['SMS-Acme', 'is not a plugin id'],
      ['fax-acme', 'the channel one of sms, email, push'],
      ['sms-', 'is not a plugin id'],
      ['sms--acme', 'is not a plugin id'],
      ['', 'is not a plugin id'],
    ] as const) {
      const result = await script('src/channels/scaffold.ts', [id]);
      expect(result.code, id).toBe(1);
      expect(result.stderr, id).toContain(message);
    }
    expect(readdirSync(join(ROOT, 'plugins')).sort()).toEqual(pluginsBefore);
    expect(() => scaffoldPlugin('sms-taken', scratch, ['sms-taken'])).toThrow(new ScaffoldError('a plugin with the id sms-taken is installed already; choose another id'));
    expect(existsSync(join(scratch, 'sms-taken'))).toBe(false);
  }, 120_000);
});

describe('plugin:fake', () => {
  it('starts the fake, prints the configureChannel config for it and each request it answers, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/channels/fake-runner.ts', 'sms-46elks'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const nextLine = async () => {
        const { value, done } = await lines.next();
        if (done) throw new Error('plugin:fake ended early');
        return value as string;
      };
      let line = await nextLine();
      while (line !== 'configureChannel config:') line = await nextLine();
      const config = elksConfigSchema.parse(JSON.parse(await nextLine()));
      expect(config.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await nextLine()).toBe('configureChannel input:');
      expect(JSON.parse(await nextLine())).toEqual({ tenantId: '<tenant id>', pluginId: 'sms-46elks', config });

      // The printed config reaches the fake.
      const result = await elksPlugin.send({ sendId: 'send_1', idempotencyKey: 'idem_1', to: { phone: '+46701234567' }, body: 'Hello' }, pluginContext(config));
      expect(result.status).toBe('SENT');
      expect(await nextLine()).toBe('sms-46elks fake: POST /a1/sms');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('refuses a plugin without a fake', async () => {
    const result = await script('src/channels/fake-runner.ts', ['no-such-plugin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plugins/no-such-plugin/fake-server.ts does not exist');
  }, 60_000);

  it("runs a scaffolded plugin's fake, which reports a send delivered to the plugin's callback URL", async () => {
    const receiver = await startReceiver();
    const answered: string[] = [];
    const { fake, config } = await startLocalFake('sms-acme', (line) => answered.push(line), scratch);
    try {
      const { plugin } = (await import(pathToFileURL(join(scratch, 'sms-acme', 'index.ts')).href)) as { plugin: ChannelPlugin };
      if (plugin.channel === 'COUPON') throw new Error('sms-acme is a message plugin');
      const callbackUrl = `${receiver.baseUrl}/webhooks/sms-acme/token-1`;
      const report = receiver.next();
      const { providerMessageId } = await plugin.send({ sendId: 'send_1', idempotencyKey: 'idem_1', to: { phone: '+46701234567' }, body: 'Hello' }, pluginContext(config as Record<string, unknown>, callbackUrl));
      const events = await plugin.parseWebhook!(await report, pluginContext(config as Record<string, unknown>, callbackUrl));
      expect(events).toMatchObject([{ kind: 'message', providerMessageId, status: 'DELIVERED' }]);
      expect(answered[0]).toBe('POST /v1/messages');
    } finally {
      await fake.close();
      await receiver.close();
    }
  });
});
