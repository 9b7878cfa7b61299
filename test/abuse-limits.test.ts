// The public surface refuses what it should, through the real HTTP server: each abusive request
// gets one short GraphQL error naming the limit and its configured value, quickly, executes
// nothing, and the server keeps answering everyone else.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';

/** "Well under a second" on a shared 2-core machine: the refusal must not do the work it refuses. */
const FAST_MS = 1_000;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  ms: number;
}

async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, token?: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'], ms: performance.now() - started };
}

const query = (document: string, variables?: unknown) => JSON.stringify({ query: document, variables });

/** The one error of a refused request, after checking it is alone, quick and names its limit. */
function refusal(answer: Answer, limit: string, max?: number) {
  expect(answer.body.errors).toHaveLength(1);
  const error = answer.body.errors![0]!;
  expect(error.extensions).toMatchObject({ limit, ...(max === undefined ? {} : { max }) });
  if (max !== undefined) expect(error.message).toContain(`${limit}=${max}`);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.ms).toBeLessThan(FAST_MS);
  expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
  return error;
}

describe('abuse limits (production settings: no introspection, no suggestions)', () => {
  let t: TestApp;
  let url: string;
  let admin: string;
  let tenantId: string;
  let viewerKey: string;
  beforeAll(async () => {
    t = await createTestApp({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_FIELD_SUGGESTIONS: 'false', GRAPHQL_MAX_DEPTH: '12', MAX_BODY_BYTES: String(1024 * 1024) }, { listen: true });
    url = t.url!;
    admin = t.config.adminApiKey;
    const tenant = await seedTenant(t, 'Abuse AB');
    tenantId = tenant.id;
    viewerKey = tenant.keys.VIEWER;
  });
  afterAll(() => t.close());

  /** The abusive request alongside an ordinary one from another client, which is answered. */
  async function alongsideOthers(abusive: () => Promise<Answer>): Promise<Answer> {
    const [answer, other] = await Promise.all([abusive(), post(url, query('{ viewer { id } }'), undefined, viewerKey)]);
    expect(other.body).toEqual({ data: { viewer: { id: expect.stringMatching(/^apikey:/) } } });
    return answer;
  }

  const tenantCount = async () => (ok(await t.exec('{ tenants(first: 100) { nodes { id } } }')) as { tenants: { nodes: unknown[] } }).tenants.nodes.length;

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH', async () => {
    const nested = `{ send(id: "x") { ${'tenant { sends(first: 1) { nodes { '.repeat(5)}id${' } } }'.repeat(5)} } }`;
    const error = refusal(await alongsideOthers(() => post(url, query(nested), undefined, admin)), 'GRAPHQL_MAX_DEPTH', 12);
    expect(error.extensions!.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/Query depth limit of 12 exceeded/);
  });

  it('refuses deeply nested fragments by the same depth limit', async () => {
    const fragments = Array.from({ length: 4 }, (_, i) => `fragment F${i} on Tenant { sends(first: 1) { nodes { tenant { ${i < 3 ? `...F${i + 1}` : 'id'} } } } }`).join('\n');
    const answer = await alongsideOthers(() => post(url, query(`query($t: ID!) { tenant(id: $t) { ...F0 } }\n${fragments}`, { t: tenantId }), undefined, admin));
    refusal(answer, 'GRAPHQL_MAX_DEPTH', 12);
  });

  it('refuses 1,000 aliases, and executes none of a document with too many aliased mutations', async () => {
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const error = refusal(await alongsideOthers(() => post(url, query(aliases), undefined, admin)), 'GRAPHQL_MAX_ALIASES', 30);
    expect(error.message).toMatch(/found 1000/);

    const before = await tenantCount();
    const mutations = `mutation { ${Array.from({ length: 40 }, (_, i) => `t${i}: createTenant(input: { name: "Alias ${i}" }) { id }`).join(' ')} }`;
    refusal(await post(url, query(mutations), undefined, admin), 'GRAPHQL_MAX_ALIASES', 30);
    expect(await tenantCount()).toBe(before);
  });

  it('answers 20,000 directives with one short error, and more than GRAPHQL_MAX_DIRECTIVES with the directive limit', async () => {
    const many = `{ viewer { id ${'@skip(if: false) '.repeat(20_000)} } }`;
    const error = refusal(await alongsideOthers(() => post(url, query(many), undefined, admin)), 'GRAPHQL_MAX_TOKENS', 5000);
    expect(error.message).toMatch(/Token limit of 5000 exceeded/);
    refusal(await post(url, query(`{ viewer { id ${'@skip(if: false) '.repeat(60)} } }`), undefined, admin), 'GRAPHQL_MAX_DIRECTIVES', 50);
  });

  it('refuses a query whose cost, with connection sizes multiplied, passes GRAPHQL_MAX_COST', async () => {
    const costly = `query($t: ID!) { tenant(id: $t) { campaigns(first: 100) { nodes { sends(first: 100) { nodes { id status events { status at } } } } } } }`;
    const error = refusal(await alongsideOthers(() => post(url, query(costly, { t: tenantId }), undefined, admin)), 'GRAPHQL_MAX_COST', 50_000);
    expect(error.message).toMatch(/Cost limit of 50000 exceeded, found \d+/);
    // The same sizes from variables, or from a variable's default, cost the same; small ones pass.
    const sized = `query($t: ID!, $n: Int = 100) { tenant(id: $t) { campaigns(first: $n) { nodes { sends(first: $n) { nodes { id status events { status at } } } } } } }`;
    expect(refusal(await post(url, query(sized, { t: tenantId, n: 100 }), undefined, admin), 'GRAPHQL_MAX_COST', 50_000).message).toBe(error.message);
    expect(refusal(await post(url, query(sized, { t: tenantId }), undefined, admin), 'GRAPHQL_MAX_COST', 50_000).message).toBe(error.message);
    expect((await post(url, query(sized, { t: tenantId, n: 5 }), undefined, admin)).body.errors).toBeUndefined();
    // The page frontends load most stays well inside it.
    const page = `query($t: ID!) { tenant(id: $t) { sends(first: 50) { edges { node { status recipient { name } events { status at } } } } } }`;
    expect((await post(url, query(page, { t: tenantId }), undefined, admin)).body.errors).toBeUndefined();
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION=false, with one error', async () => {
    const error = refusal(await post(url, query('{ __schema { types { name fields { name } } } }'), undefined, admin), 'GRAPHQL_INTROSPECTION');
    expect(error.message).toMatch(/introspection has been disabled/);
    expect(error.message).toContain('GRAPHQL_INTROSPECTION=false');
  });

  it('strips "Did you mean" suggestions when GRAPHQL_FIELD_SUGGESTIONS=false', async () => {
    const answer = await post(url, query('{ viewr { id } tenant(id: "x") { nmae } }'), undefined, admin);
    expect(answer.body.errors!.map((e) => e.message)).toEqual(['Cannot query field "viewr" on type "Query".', 'Cannot query field "nmae" on type "Tenant".']);
    expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean|viewer|name/);
  });

  it('refuses a batch of 1,000 operations (batching is off) without executing any', async () => {
    const before = await tenantCount();
    const batch = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ query: `mutation { createTenant(input: { name: "Batch ${i}" }) { id } }` })));
    const answer = await alongsideOthers(() => post(url, batch, undefined, admin));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ message: 'Batching is not supported.', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(answer.ms).toBeLessThan(FAST_MS);
    expect(await tenantCount()).toBe(before);
  });

  it('refuses a mutation sent as GET', async () => {
    const before = await tenantCount();
    const document = encodeURIComponent('mutation { createTenant(input: { name: "Over GET" }) { id } }');
    const res = await fetch(`${url}/graphql?query=${document}`, { headers: { authorization: `Bearer ${admin}`, 'x-graphql-yoga-csrf': '1' } });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ errors: [{ message: 'Can only perform a mutation operation from a POST request.', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(await tenantCount()).toBe(before);
  });

  it('refuses form-encoded and multipart posts (a cross-site form) without the CSRF header, and GraphQL over GET without it', async () => {
    const before = await tenantCount();
    const mutation = 'mutation { createTenant(input: { name: "Cross-site" }) { id } }';
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: mutation }));
    form.set('map', '{}');
    const attempts = [
      () => post(url, new URLSearchParams({ query: mutation }).toString(), { 'content-type': 'application/x-www-form-urlencoded' }, admin),
      () => post(url, JSON.stringify({ query: mutation }), { 'content-type': 'text/plain' }, admin),
      async () => {
        const started = performance.now();
        const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
        return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'], ms: performance.now() - started };
      },
      async () => {
        const started = performance.now();
        const res = await fetch(`${url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, { headers: { authorization: `Bearer ${admin}` } });
        return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'], ms: performance.now() - started };
      },
    ];
    for (const attempt of attempts) {
      const answer = await attempt();
      expect(answer.status).toBe(403);
      const error = refusal(answer, 'CSRF');
      expect(error.message).toBe('Required CSRF header(s) not present: send the request as content-type application/json, or with a x-graphql-yoga-csrf header');
    }
    expect(await tenantCount()).toBe(before);
    // With the header (a client of our own, not a form), the same GET query is answered.
    const res = await fetch(`${url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, { headers: { authorization: `Bearer ${admin}`, 'x-graphql-yoga-csrf': '1' } });
    expect(await res.json()).toEqual({ data: { viewer: { id: 'operator' } } });
  });

  it('serves GraphiQL outside production: the page is a GET the CSRF rule lets through', async () => {
    const res = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Send platform GraphiQL');
  });

  /** Posts `size` bytes with content-length, or streamed (chunked) without it; resolves with the answer even though the upload is cut short. */
  function upload(size: number, streamed: boolean): Promise<{ status: number; body: Answer['body']; ms: number }> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...(streamed ? {} : { 'content-length': String(size) }) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Answer['body'], ms: performance.now() - started }));
      });
      // The server stops reading and closes the connection once it has answered.
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!['EPIPE', 'ECONNRESET'].includes(err.code ?? '')) reject(err);
      });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const write = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
  }

  it.each([
    ['with content-length', false],
    ['streamed without content-length', true],
  ])('refuses a 10 MB body %s with 413, naming MAX_BODY_BYTES', async (_how, streamed) => {
    const [answer] = await Promise.all([upload(10 * 1024 * 1024, streamed), post(url, query('{ viewer { id } }'), undefined, viewerKey).then((other) => expect(other.body.errors).toBeUndefined())]);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      errors: [{ message: 'Request body larger than 1048576 bytes (MAX_BODY_BYTES=1048576)', extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_BODY_BYTES', max: 1048576 } }],
    });
    expect(answer.ms).toBeLessThan(FAST_MS);
  });

  it('still executes a streamed body under the limit', async () => {
    const body = query('{ viewer { id } }');
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await res.json()).toEqual({ data: { viewer: { id: 'operator' } } });
  });
});

describe('requests per minute for one API key', () => {
  const LIMIT = 5;
  let t: TestApp;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    // With Redis, counted there (shared by every API process), under a prefix of this run's own.
    const redis: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}` } : {};
    t = await createTestApp({ API_RATE_LIMIT_PER_MINUTE: String(LIMIT), ...redis }, { listen: true });
    tenant = await seedTenant(t, 'Rate AB');
  });
  afterAll(() => t.close());

  it(`answers the ${LIMIT + 1}th request of a minute with RATE_LIMITED, Retry-After and the limit, executing nothing; other keys go on`, async () => {
    const sender = tenant.keys.SENDER;
    for (let i = 0; i < LIMIT; i++) expect((await post(t.url!, query('{ viewer { id } }'), undefined, sender)).body.errors).toBeUndefined();
    const upsert = query(`mutation($t: ID!) { upsertRecipient(input: { tenantId: $t, externalId: "over-the-limit", name: "Rita" }) { id } }`, { t: tenant.id });
    const answer = await post(t.url!, upsert, undefined, sender);
    expect(answer.status).toBe(429);
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const error = refusal(answer, 'API_RATE_LIMIT_PER_MINUTE', LIMIT);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'API_RATE_LIMIT_PER_MINUTE', max: LIMIT, retryAfterSeconds: retryAfter });
    // Nothing was written, and another key of the same tenant is answered.
    const recipients = await post(t.url!, query(`query($t: ID!) { tenant(id: $t) { recipients(first: 10) { totalCount } } }`, { t: tenant.id }), undefined, tenant.keys.VIEWER);
    expect(recipients.body).toEqual({ data: { tenant: { recipients: { totalCount: 0 } } } });
    // The operator's key is not limited.
    for (let i = 0; i < LIMIT + 1; i++) expect((await post(t.url!, query('{ viewer { id } }'), undefined, t.config.adminApiKey)).body.errors).toBeUndefined();
  });
});
