// The one log line per request names the GraphQL operation, the kind of caller and its tenant,
// the outcome and the error codes, so an operator can tell what failed for whom, and holds no
// personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedTenant, type TestApp } from './helpers.ts';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  t = await createTestApp({}, { listen: true });
  tenant = await seedTenant(t, 'Logged AB');
});
afterAll(() => t.close());

async function post(body: unknown, key: string): Promise<Record<string, unknown>> {
  const requestId = `req-${Math.random().toString(36).slice(2)}`;
  await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
  let line: Record<string, unknown> | undefined;
  for (let i = 0; i < 100 && !line; i++) {
    line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === requestId && l.msg === 'request');
    if (!line) await new Promise((r) => setTimeout(r, 10));
  }
  return line!;
}

describe('request log line', () => {
  it('names the operation, the caller kind and tenant, and the outcome', async () => {
    const line = await post({ query: 'query Whoami { viewer { id } }' }, tenant.keys.SENDER);
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, operation: 'Whoami', operationType: 'query', principal: 'apiKey', outcome: 'ok' });
    expect(line.tenantId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the contract error codes of a failed request, and no personal data from its variables', async () => {
    const line = await post(
      { query: 'mutation Upsert($i: UpsertRecipientInput!) { upsertRecipient(input: $i) { id } }', variables: { i: { tenantId: tenant.id, externalId: 'p-1', phone: '+4670999999999999', name: 'Anna Andersson' } } },
      tenant.keys.SENDER,
    );
    expect(line).toMatchObject({ operation: 'Upsert', operationType: 'mutation', outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
    const all = t.logs.join('');
    for (const secret of ['+4670999999999999', 'Anna Andersson', tenant.keys.SENDER]) expect(all).not.toContain(secret);
  });

  it('tells a request without credentials and one that does not parse', async () => {
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'anon-1' }, body: JSON.stringify({ query: '{ viewer { id } }' }) });
    expect(res.status).toBe(200);
    const parse = await post({ query: '{ viewer { ' }, tenant.keys.VIEWER);
    expect(parse).toMatchObject({ outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
    const anonymous = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'anon-1');
    expect(anonymous).toMatchObject({ principal: 'anonymous', outcome: 'error', errorCodes: ['UNAUTHENTICATED'] });
  });
});
