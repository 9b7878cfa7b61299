// A provider's report that arrives while the database is away must be delivered again later:
// the webhook route answers 503 with Retry-After (providers retry those), never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';

let t: TestApp;
let webhookUrl: string;
beforeAll(async () => {
  t = await createTestApp({}, { listen: true });
  const tenant = await seedTenant(t, 'Outage AB');
  const configured = ok(
    await t.exec(`mutation($t: ID!) { configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { webhookUrl } }`, { t: tenant.id }, tenant.keys.TENANT_ADMIN),
  ) as { configureChannel: { webhookUrl: string } };
  webhookUrl = configured.configureChannel.webhookUrl;
});
afterAll(() => t.close());

const report = () => fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'dev-sms-1', status: 'delivered' }) });

describe('webhook intake while the database is away', () => {
  it('answers 503 with Retry-After, logs why without personal data, and stores the report once it is back', async () => {
    await t.app.db.query('ALTER TABLE "ProviderEvent" RENAME TO "ProviderEventGone"');
    let refused: Response;
    try {
      refused = await report();
    } finally {
      await t.app.db.query('ALTER TABLE "ProviderEventGone" RENAME TO "ProviderEvent"');
    }
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(t.logs.join('')).toContain('webhook not stored; asking the provider to retry');

    const retried = await report();
    expect(retried.status).toBe(200);
    expect(await t.app.prisma.providerEvent.count({ where: { providerRef: 'dev-sms-1' } })).toBe(1);
  });
});
