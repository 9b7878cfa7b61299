// Logs never hold secrets or personal data: every request below carries some, and none
// of it may appear in a log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { Writable } from 'node:stream';
import { startServer } from '../src/server.ts';
import { createTestApp, ok, seedTenant, TEST_ADMIN_KEY, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('logging', () => {
  it('writes one JSON line per request with a request id, and never a token or key', async () => {
    const server = await startServer(t.app, 0, '127.0.0.1');
    let secret = '';
    try {
      const tenant = await seedTenant(t, 'Logco');
      const res = await fetch(`${server.url}/graphql?trace=${TEST_ADMIN_KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}`, 'x-request-id': 'req-123' },
        body: JSON.stringify({
          query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          variables: { input: { tenantId: tenant.id, name: 'anna.svensson@example.com', role: 'SENDER' } },
        }),
      });
      expect(res.headers.get('x-request-id')).toBe('req-123');
      secret = ((await res.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret;
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk_wrong_key_value_123456789' },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
    } finally {
      await server.close();
    }
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLine = lines.find((l) => l.requestId === 'req-123');
    expect(requestLine).toMatchObject({ msg: 'request', method: 'POST', path: '/graphql', status: 200 });
    const all = t.logs.join('\n');
    for (const needle of [TEST_ADMIN_KEY, secret, 'sk_wrong_key_value_123456789', 'anna.svensson@example.com', 'Bearer']) {
      expect(all).not.toContain(needle);
    }
  });

  it('redacts personal and secret fields that code might pass to the logger', () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    log.info(
      {
        headers: { authorization: 'Bearer sk_live_abc' },
        recipient: { phone: '+46701234567', email: 'a@b.se', name: 'Anna', pushTokens: ['tok'] },
        config: { apiKey: 'k', password: 'p' },
        message: { body: 'Hej Anna' },
        secret: 'sk_x',
      },
      'event',
    );
    for (const needle of ['sk_live_abc', '+46701234567', 'a@b.se', 'Anna', 'tok', '"k"', 'sk_x']) expect(lines.join('')).not.toContain(needle);
  });

  it('an unexpected error reaches the client as INTERNAL_SERVER_ERROR without details', async () => {
    const tenant = await seedTenant(t, 'Broken');
    // Break the database under the resolver: the client must see no SQL or stack.
    await t.app.db.query('ALTER TABLE "Purpose" RENAME TO "PurposeGone"');
    try {
      const res = await t.exec(
        'mutation($i: DefinePurposeInput!) { definePurpose(input: $i) { key } }',
        { i: { tenantId: tenant.id, key: 'k', legalBasis: 'CONSENT' } },
      );
      expect(res.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    } finally {
      await t.app.db.query('ALTER TABLE "PurposeGone" RENAME TO "Purpose"');
    }
    expect(ok(await t.exec('{ viewer { id } }'))).toEqual({ viewer: { id: 'operator' } });
  });
});
