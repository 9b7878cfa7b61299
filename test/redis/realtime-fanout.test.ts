// Send-status events cross processes: with PostgreSQL and Redis, the worker process writes
// a send's events to the log and wakes the bus; subscribers on two API processes, one over
// WebSocket and one over SSE, each receive them in order.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCursor, headPosition } from '../../src/events/log.ts';
import { decodeGlobalId } from '../../src/ids.ts';
import { createTestApp, ok, seedTenant, TEST_ADMIN_KEY } from '../helpers.ts';
import { freePort, startService } from '../processes.ts';
import { follow } from '../subscription-clients.ts';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('fan-out across processes', () => {
  it('events written by a worker process reach subscribers on two API processes', async () => {
    const env = { REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`, SWEEP_INTERVAL_MS: '250' };
    // API one: this process, enqueueing only (the Redis mode dispatches in workers).
    const t = await createTestApp(env, { listen: true });
    cleanup.push(() => t.close());
    const shared = {
      ...env,
      DATABASE_URL: t.config.databaseUrl!,
      MASTER_KEY: t.config.masterKeys.get(t.config.masterKeyVersion)!.toString('base64'),
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      PUBLIC_URL: t.url!,
    };
    // API two: its own process on its own port.
    const port = await freePort();
    const api2 = startService('serve', { ...shared, PORT: String(port) });
    cleanup.push(() => api2.kill());
    const worker = startService('worker', shared);
    cleanup.push(() => worker.kill());
    await Promise.all([api2.waitFor('"listening"'), worker.waitFor('worker started')]);

    const tenant = await seedTenant(t, 'Fan-out AB');
    const setup = ok(
      await t.exec<{ upsertRecipient: { id: string } }, unknown>(
        `mutation($t: ID!) {
          definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
          configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id }
          upsertRecipient(input: { tenantId: $t, externalId: "p-1", phone: "+46701234567" }) { id }
        }`,
        { t: tenant.id },
        tenant.keys.TENANT_ADMIN,
      ),
    );
    // From the log's head as it is now: whenever each stream starts, it misses nothing after it.
    const tenantId = decodeGlobalId(tenant.id)!.id;
    const after = encodeCursor(tenantId, await headPosition(t.app.prisma, tenantId));
    const onApi1 = follow('ws', t.url!, tenant.keys.VIEWER, { tenantId: tenant.id, after });
    const onApi2 = follow('sse', `http://127.0.0.1:${port}`, tenant.keys.VIEWER, { tenantId: tenant.id, after });
    cleanup.push(() => onApi1.dispose(), () => onApi2.dispose());
    const send = async () =>
      ok(
        await t.exec<{ createSend: { id: string } }, unknown>(
          `mutation($r: ID!) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "Kvitto" } }) { id } }`,
          { r: setup.upsertRecipient.id },
          tenant.keys.SENDER,
        ),
      ).createSend.id;
    const warmUp = await send();
    // The second send after both streams are live: events that arrive live, not from the backlog.
    await Promise.all([onApi1.received(4), onApi2.received(4)]);
    const sendId = await send();
    const [first, second] = await Promise.all([onApi1.received(8), onApi2.received(8)]);
    for (const events of [first, second]) {
      expect(events.filter((e) => e.send.id === warmUp).map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
      expect(events.filter((e) => e.send.id === sendId).map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    }
    expect(second.map((e) => e.cursor)).toEqual(first.map((e) => e.cursor));
  }, 90_000);
});
