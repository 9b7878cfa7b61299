// Which browser origins may call the API: CORS_ORIGINS, any outside production, none in
// production, and never in credentials mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const preflight = (t: TestApp, origin: string) =>
  t.fetch('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

describe('CORS with CORS_ORIGINS set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' });
  });
  afterAll(() => t.close());

  it('allows the listed origins, without credentials', async () => {
    const res = await preflight(t, 'https://app.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('does not echo an origin that is not listed', async () => {
    const res = await preflight(t, 'https://evil.example.net');
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CORS by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('allows any origin outside production, still without credentials', async () => {
    const res = await preflight(t, 'http://localhost:3000');
    expect(['*', 'http://localhost:3000']).toContain(res.headers.get('access-control-allow-origin'));
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows none in production unless configured, and refuses a malformed list', () => {
    const production = { NODE_ENV: 'production', ADMIN_API_KEY: 'x'.repeat(32), MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), DATABASE_URL: 'postgres://u:p@127.0.0.1/db', DATA_DIR: '/nonexistent' };
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(loadConfig({ ...production, CORS_ORIGINS: 'https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
    expect(() => loadConfig({ ...production, CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS must be/);
  });
});
