import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './__generated__/gql.ts';
import { ERROR_CODES, type ErrorCode } from '../src/errors.ts';
import { startServer } from '../src/server.ts';
import { createTestApp, errorCodes, ok, seedTenant, TEST_ADMIN_KEY, type TestApp } from './helpers.ts';

const Viewer = graphql(`
  query Viewer {
    viewer { id platformRole memberships { role tenant { id name } } }
  }
`);

const DefinePurpose = graphql(`
  mutation DefinePurpose($input: DefinePurposeInput!) {
    definePurpose(input: $input) { key description legalBasis }
  }
`);

const TenantWithAudit = graphql(`
  query TenantWithAudit($id: ID!, $first: Int, $after: String) {
    tenant(id: $id) {
      id name createdAt
      purposes { key legalBasis }
      auditLog(first: $first, after: $after) {
        edges { cursor node { id at actor action targetType targetId } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const Tenants = graphql(`
  query Tenants($first: Int, $after: String) {
    tenants(first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }
  }
`);

const CreateKey = graphql(`
  mutation CreateKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { id name role createdAt revokedAt tenant { id } } }
  }
`);

const RevokeKey = graphql(`
  mutation RevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }
`);

const CreateTenant = graphql(`
  mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id name } }
`);

const NodeQuery = graphql(`
  query NodeQuery($id: ID!) { node(id: $id) { id ... on Tenant { name } ... on ApiKey { role } } }
`);

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  t = await createTestApp();
  acme = await seedTenant(t, 'Acme');
});
afterAll(() => t.close());

describe('operator and tenant admin flow', () => {
  it('answers viewer for the operator key', async () => {
    const { viewer } = ok(await t.exec(Viewer));
    expect(viewer).toEqual({ id: 'operator', platformRole: 'PLATFORM_ADMIN', memberships: [] });
  });

  it('a tenant key sees its one membership', async () => {
    const { viewer } = ok(await t.exec(Viewer, {}, acme.keys.SENDER));
    expect(viewer.platformRole).toBeNull();
    expect(viewer.memberships).toEqual([{ role: 'SENDER', tenant: { id: acme.id, name: 'Acme' } }]);
  });

  it('the tenant admin defines purposes, redefines one, and reads the audit log', async () => {
    const admin = acme.keys.TENANT_ADMIN;
    const defined = ok(await t.exec(DefinePurpose, { input: { tenantId: acme.id, key: 'newsletter', legalBasis: 'CONSENT', description: 'Monthly news' } }, admin));
    expect(defined.definePurpose).toEqual({ key: 'newsletter', description: 'Monthly news', legalBasis: 'CONSENT' });
    ok(await t.exec(DefinePurpose, { input: { tenantId: acme.id, key: 'orders', legalBasis: 'CONTRACT' } }, admin));
    ok(await t.exec(DefinePurpose, { input: { tenantId: acme.id, key: 'orders', legalBasis: 'LEGITIMATE_INTEREST' } }, admin));

    const { tenant } = ok(await t.exec(TenantWithAudit, { id: acme.id, first: 50 }, admin));
    expect(tenant!.purposes).toEqual([
      { key: 'newsletter', legalBasis: 'CONSENT' },
      { key: 'orders', legalBasis: 'LEGITIMATE_INTEREST' },
    ]);
    const actions = tenant!.auditLog.edges.map((e) => e.node.action);
    // Newest first.
    expect(actions.slice(0, 3)).toEqual(['purpose.redefined', 'purpose.defined', 'purpose.defined']);
    expect(actions.filter((a) => a === 'apiKey.created')).toHaveLength(4);
    expect(actions.at(-1)).toBe('tenant.created');
    const keyEvent = tenant!.auditLog.edges.find((e) => e.node.action === 'apiKey.created')!.node;
    expect(keyEvent.actor).toBe('operator');
    expect(keyEvent.targetType).toBe('ApiKey');
  });

  it('pages the audit log with cursors', async () => {
    const first = ok(await t.exec(TenantWithAudit, { id: acme.id, first: 2 }, acme.keys.DPO)).tenant!.auditLog;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = ok(await t.exec(TenantWithAudit, { id: acme.id, first: 2, after: first.pageInfo.endCursor }, acme.keys.DPO)).tenant!.auditLog;
    expect(next.edges[0]!.node.id).not.toBe(first.edges[1]!.node.id);
  });

  it('only TENANT_ADMIN and DPO read the audit log', async () => {
    for (const role of ['SENDER', 'VIEWER'] as const) {
      const res = await t.exec(TenantWithAudit, { id: acme.id, first: 1 }, acme.keys[role]);
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    }
  });

  it('non-admin roles cannot define purposes or create keys', async () => {
    for (const role of ['SENDER', 'VIEWER', 'DPO'] as const) {
      const res = await t.exec(DefinePurpose, { input: { tenantId: acme.id, key: 'x', legalBasis: 'CONSENT' } }, acme.keys[role]);
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      const key = await t.exec(CreateKey, { input: { tenantId: acme.id, name: 'k', role: 'SENDER' } }, acme.keys[role]);
      expect(errorCodes(key)).toEqual(['FORBIDDEN']);
    }
  });

  it('a tenant admin creates a key that works, revokes it, and then it is refused', async () => {
    const created = ok(await t.exec(CreateKey, { input: { tenantId: acme.id, name: 'ci', role: 'VIEWER' } }, acme.keys.TENANT_ADMIN)).createApiKey;
    expect(created.secret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({ name: 'ci', role: 'VIEWER', revokedAt: null, tenant: { id: acme.id } });
    expect(ok(await t.exec(Viewer, {}, created.secret)).viewer.memberships[0]!.role).toBe('VIEWER');

    const revoked = ok(await t.exec(RevokeKey, { id: created.apiKey.id }, acme.keys.TENANT_ADMIN)).revokeApiKey;
    expect(revoked.revokedAt).not.toBeNull();
    const after = await t.exec(Viewer, {}, created.secret);
    expect(errorCodes(after)).toEqual(['UNAUTHENTICATED']);
    expect(after.errors![0]!.message).toMatch(/revoked/);
    const audit = ok(await t.exec(TenantWithAudit, { id: acme.id, first: 1 }, acme.keys.TENANT_ADMIN)).tenant!.auditLog.edges[0]!.node;
    expect(audit).toMatchObject({ action: 'apiKey.revoked', targetId: created.apiKey.id.length ? expect.any(String) : '' });
  });

  it('only the operator creates tenants and platform keys, and lists tenants', async () => {
    expect(errorCodes(await t.exec(CreateTenant, { input: { name: 'Evil' } }, acme.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(CreateKey, { input: { tenantId: null, name: 'p', role: 'PLATFORM_ADMIN' } }, acme.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.exec(Tenants, { first: 5 }, acme.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);

    const platformKey = ok(await t.exec(CreateKey, { input: { tenantId: null, name: 'ops', role: 'PLATFORM_ADMIN' } })).createApiKey;
    expect(platformKey.apiKey.tenant).toBeNull();
    ok(await t.exec(CreateTenant, { input: { name: 'Beta' } }, platformKey.secret));
    const names = ok(await t.exec(Tenants, { first: 10 }, platformKey.secret)).tenants.edges.map((e) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['Acme', 'Beta']));
  });

  it('resolves nodes by global id within the tenant', async () => {
    const res = ok(await t.exec(NodeQuery, { id: acme.id }, acme.keys.VIEWER));
    expect(res.node).toEqual({ id: acme.id, name: 'Acme' });
    const key = ok(await t.exec(NodeQuery, { id: acme.keyIds.DPO }, acme.keys.TENANT_ADMIN));
    expect(key.node).toEqual({ id: acme.keyIds.DPO, role: 'DPO' });
  });
});

describe('bad input', () => {
  it('refuses requests without or with a wrong token', async () => {
    expect(errorCodes(await t.exec(Viewer, {}, null))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await t.exec(Viewer, {}, 'sk_not_a_real_key'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await t.exec(Viewer, {}, 'not.a.jwt'))).toEqual(['UNAUTHENTICATED']);
    const res = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string }; message: string }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('malformed GraphQL, unknown fields and wrong variable types are BAD_USER_INPUT', async () => {
    expect(errorCodes(await t.exec('{ viewer { id '))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.exec('{ viewer { nope } }'))).toEqual(['BAD_USER_INPUT']);
    const wrongType = await t.exec(TenantWithAudit, { id: acme.id, first: 'ten' as unknown as number });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(wrongType.errors![0]!.message).toMatch(/Int cannot represent/);
  });

  it('empty, oversized and malformed values name the field', async () => {
    const admin = acme.keys.TENANT_ADMIN;
    const empty = await t.exec(CreateTenant, { input: { name: '   ' } });
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0]!.extensions!.field).toBe('name');
    const long = await t.exec(CreateTenant, { input: { name: 'x'.repeat(201) } });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    const badKey = await t.exec(DefinePurpose, { input: { tenantId: acme.id, key: 'Not A Key!', legalBasis: 'CONSENT' } }, admin);
    expect(errorCodes(badKey)).toEqual(['BAD_USER_INPUT']);
    expect(badKey.errors![0]!.message).toMatch(/^key:/);
    const roleMismatch = await t.exec(CreateKey, { input: { tenantId: null, name: 'x', role: 'SENDER' } });
    expect(errorCodes(roleMismatch)).toEqual(['BAD_USER_INPUT']);
  });

  it('a 10 MB string is refused before it is parsed, and the service goes on', async () => {
    const server = await startServer(t.app, 0, '127.0.0.1');
    try {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        body: JSON.stringify({ query: 'mutation($n: String!) { createTenant(input: { name: $n }) { id } }', variables: { n: 'x'.repeat(10 * 1024 * 1024) } }),
      });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a 100 KB name is BAD_USER_INPUT', async () => {
    const res = await t.exec(CreateTenant, { input: { name: 'x'.repeat(100_000) } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/at most 200/);
  });

  it('unknown and foreign-typed ids are NOT_FOUND', async () => {
    const unknownTenant = Buffer.from('Tenant:00000000-0000-7000-8000-000000000000').toString('base64');
    // A tenant the principal is not in is FORBIDDEN whether or not it exists: nothing leaks.
    expect(errorCodes(await t.exec(TenantWithAudit, { id: unknownTenant }, acme.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(ok(await t.exec(TenantWithAudit, { id: unknownTenant })).tenant).toBeNull();
    expect(errorCodes(await t.exec(TenantWithAudit, { id: 'garbage' }, acme.keys.TENANT_ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.exec(TenantWithAudit, { id: acme.keyIds.DPO }, acme.keys.TENANT_ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.exec(RevokeKey, { id: acme.id }, acme.keys.TENANT_ADMIN))).toEqual(['NOT_FOUND']);
  });
});

describe('no error ever carries a stack trace', () => {
  const post = (body: string, token: string | null = TEST_ADMIN_KEY) =>
    t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  const request = (query: unknown, variables?: unknown, token?: string | null) => post(JSON.stringify({ query: String(query), variables }), token);
  const unknownTenant = Buffer.from('Tenant:00000000-0000-7000-8000-000000000000').toString('base64');

  // Every kind of error a client can cause, with the contract code it must come back with.
  const cases: Array<[string, ErrorCode, () => Promise<Response>]> = [
    ['a parse error', 'BAD_USER_INPUT', () => request('{ viewer { id ')],
    ['a validation error', 'BAD_USER_INPUT', () => request('{ tenant { id } }')],
    ['an unknown field', 'BAD_USER_INPUT', () => request('{ viewer { nope } }')],
    ['a variable of the wrong type', 'BAD_USER_INPUT', () => request(TenantWithAudit, { id: acme.id, first: 'ten' })],
    ['a domain check', 'BAD_USER_INPUT', () => request(CreateTenant, { input: { name: '   ' } })],
    ['an unknown id', 'NOT_FOUND', () => request(TenantWithAudit, { id: 'garbage' }, acme.keys.TENANT_ADMIN)],
    ['a tenant the caller is not in', 'FORBIDDEN', () => request(TenantWithAudit, { id: unknownTenant }, acme.keys.TENANT_ADMIN)],
    ['a missing token', 'UNAUTHENTICATED', () => request(Viewer, {}, null)],
    ['a malformed JSON body', 'BAD_USER_INPUT', () => post('{"query": "{ viewer { id } }"')],
    [
      'a failing database under a resolver',
      'INTERNAL_SERVER_ERROR',
      async () => {
        await t.app.db.query('ALTER TABLE "Purpose" RENAME TO "PurposeGone"');
        try {
          return await request(DefinePurpose, { input: { tenantId: acme.id, key: 'broken', legalBasis: 'CONSENT' } });
        } finally {
          await t.app.db.query('ALTER TABLE "PurposeGone" RENAME TO "Purpose"');
        }
      },
    ],
  ];

  it.each(cases)('%s', async (_name, code, send) => {
    const text = await (await send()).text();
    // Stack traces and their parts: the words, the wrapped error, file paths and line references.
    expect(text).not.toMatch(/stack/i);
    expect(text).not.toMatch(/originalError/);
    expect(text).not.toMatch(/\.[cm]?[jt]s:\d+/);
    expect(text).not.toMatch(/(?:file:\/\/|\/)[\w@.-]+\/[\w@./-]*\.[cm]?[jt]s\b|node_modules/);
    const { errors } = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    expect(ERROR_CODES).toContain(code);
    expect(errors?.map((e) => e.extensions?.code)).toEqual([code]);
  });
});
