import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('has embedded defaults and generates the admin and master keys once, under DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    expect(first).toMatchObject({ env: 'development', port: 4000, publicUrl: 'http://localhost:4000', databaseUrl: undefined, redisUrl: undefined });
    expect(first.generated.adminApiKey).toBe(first.adminApiKey);
    expect(readFileSync(join(dir, 'admin-api-key'), 'utf8').trim()).toBe(first.adminApiKey);
    expect(existsSync(join(dir, 'master-key'))).toBe(true);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.adminApiKey).toBe(first.adminApiKey);
    expect(second.generated).toEqual({});
    expect(second.masterKeys.get(1)).toEqual(first.masterKeys.get(1));
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, /REDIS_URL needs DATABASE_URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://u:p@127.0.0.1/db' }, /^Invalid configuration: PUBLIC_URL is required with REDIS_URL/],
    [{ MASTER_KEY: 'short' }, /MASTER_KEY must be base64 of exactly 32 bytes/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ NODE_ENV: 'production', MASTER_KEY: KEY, DATABASE_URL: 'postgres://h/db' }, /ADMIN_API_KEY is required when NODE_ENV=production/],
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://h/db' }, /MASTER_KEY is required/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), ...env })).toThrow(message);
  });

  it('has GraphQL limits, off for introspection, suggestions and an open /metrics in production, each settable', () => {
    const production = { NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(40), MASTER_KEY: KEY, DATABASE_URL: 'postgres://h/db' };
    expect(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) }).graphqlLimits).toEqual({
      maxBodyBytes: 8 * 1024 * 1024, maxTokens: 5000, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxCost: 50_000, introspection: true, fieldSuggestions: true, ratePerMinute: 0,
    });
    const prod = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), ...production });
    expect(prod.graphqlLimits).toMatchObject({ introspection: false, fieldSuggestions: false, ratePerMinute: 1200 });
    expect(prod.metrics.enabled).toBe(false);
    expect(prod.shutdownGraceMs).toBe(25_000);
    const set = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), ...production, GRAPHQL_INTROSPECTION: 'true', API_RATE_LIMIT_PER_MINUTE: '0', GRAPHQL_MAX_DEPTH: '8', SHUTDOWN_GRACE_MS: '5000' });
    expect(set.graphqlLimits).toMatchObject({ introspection: true, ratePerMinute: 0, maxDepth: 8 });
    expect(set.shutdownGraceMs).toBe(5000);
    for (const [name, value] of [['GRAPHQL_MAX_DEPTH', '1'], ['GRAPHQL_MAX_COST', 'lots'], ['API_RATE_LIMIT_PER_MINUTE', '-1'], ['MAX_BODY_BYTES', '10'], ['SHUTDOWN_GRACE_MS', '-5'], ['GRAPHQL_INTROSPECTION', 'yes']]) {
      expect(() => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
    }
  });

  it('reads previous master keys for rotation', () => {
    const old = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')), MASTER_KEY: KEY, MASTER_KEY_VERSION: '2', PREVIOUS_MASTER_KEYS: `1:${old}` });
    expect(config.masterKeyVersion).toBe(2);
    expect([...config.masterKeys.keys()].sort()).toEqual([1, 2]);
  });

  it('a bad value stops the process with one line naming the variable and a non-zero exit', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, PORT: 'not-a-port', DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT /)]);
  });
});
