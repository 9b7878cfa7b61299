import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
let server: RunningServer;
beforeAll(async () => {
  t = await createTestApp();
  server = await startServer(t.app, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
  await t.close();
});

describe('health probes over HTTP', () => {
  it('/healthz answers while the process is up', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database is reachable and migrated', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  });

  it('/readyz reports pending migrations as not ready', async () => {
    await t.app.db.query(`DELETE FROM "_prisma_migrations"`);
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready', checks: { database: expect.stringMatching(/pending migrations/) } });
  });

  it('GraphQL is served on the same port, and GraphiQL in development', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });
});

// Registered only in the PostgreSQL + Redis run of CI.
if (process.env.REDIS_URL) describe('with REDIS_URL', () => {
  it('/readyz checks Redis too', async () => {
    const withRedis = await createTestApp({ REDIS_URL: process.env.REDIS_URL! });
    const s = await startServer(withRedis.app, 0, '127.0.0.1');
    try {
      const res = await fetch(`${s.url}/readyz`);
      expect(await res.json()).toMatchObject({ checks: { redis: 'ok' } });
    } finally {
      await s.close();
      await withRedis.close();
    }
  });

  it('/readyz is not ready when Redis is unreachable', async () => {
    const broken = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    const s = await startServer(broken.app, 0, '127.0.0.1');
    try {
      const res = await fetch(`${s.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { redis: 'unreachable' } });
    } finally {
      await s.close();
      await broken.close();
    }
  });
});
