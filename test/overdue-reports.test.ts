// A send that stays SENT because its delivery report never came does not stay there silently:
// past the plugin's report window the provider's status API is asked where there is one
// (46elks), otherwise the send is marked with the reason once (Brevo). The clock is injected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BREVO_API_KEY, startBrevoFake, type FakeBrevo } from '../plugins/email-brevo/fake-server.ts';
import { FAKE_46ELKS_PASSWORD, FAKE_46ELKS_USERNAME, start46elksFake, type Fake46elks } from '../plugins/sms-46elks/fake-server.ts';
import { openChannelById } from '../src/channels/open-channels.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { checkOverdueReports } from '../src/sends/overdue-reports.ts';
import { createTestApp, ok, seedTenant, type TestApp } from './helpers.ts';
import { waitFor } from './wait.ts';

let t: TestApp;
let elks: Fake46elks;
let brevo: FakeBrevo;
let recipientId: string;
let key: string;
const HOUR = 60 * 60_000;

beforeAll(async () => {
  // Neither fake reports delivery: the reports are "lost".
  [elks, brevo] = await Promise.all([start46elksFake(), startBrevoFake()]);
  t = await createTestApp({}, { dispatch: true });
  const tenant = await seedTenant(t, 'Silent AB');
  key = tenant.keys.SENDER;
  const setup = ok(
    await t.exec(
      `mutation($t: ID!, $sms: JSON!, $email: JSON!) {
        definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key }
        sms: configureChannel(input: { tenantId: $t, pluginId: "sms-46elks", config: $sms }) { id }
        email: configureChannel(input: { tenantId: $t, pluginId: "email-brevo", config: $email }) { id }
        upsertRecipient(input: { tenantId: $t, externalId: "s-1", phone: "+46701234567", email: "s1@example.com" }) { id }
      }`,
      {
        t: tenant.id,
        sms: { username: FAKE_46ELKS_USERNAME, password: FAKE_46ELKS_PASSWORD, from: 'Silent', baseUrl: elks.baseUrl },
        email: { apiKey: FAKE_BREVO_API_KEY, senderEmail: 'no-reply@shop.example', baseUrl: brevo.baseUrl },
      },
    ),
  ) as { upsertRecipient: { id: string } };
  recipientId = setup.upsertRecipient.id;
});
afterAll(async () => {
  await t.close();
  await Promise.all([elks.close(), brevo.close()]);
});

async function sentSend(channel: 'SMS' | 'EMAIL'): Promise<string> {
  const created = ok(await t.exec(`mutation($r: ID!, $c: Channel!) { createSend(input: { recipientId: $r, channel: $c, purpose: "receipts", message: { subject: "Kvitto", body: "Kvitto" } }) { id } }`, { r: recipientId, c: channel }, key)) as { createSend: { id: string } };
  await waitFor(() => readSend(created.createSend.id), (s) => s.status === 'SENT');
  return created.createSend.id;
}
const readSend = async (id: string) => (ok(await t.exec(`query($id: ID!) { send(id: $id) { status statusReason providerMessageId } }`, { id })) as { send: { status: string; statusReason: string | null; providerMessageId: string } }).send;
const deps = () => ({ prisma: t.app.prisma, log: t.app.log, metrics: t.app.metrics, events: t.app.events, openChannel: (id: string) => openChannelById(t.app, id) });
const look = (at: Date) => checkOverdueReports(deps(), 15 * 60_000, at);

describe('overdue delivery reports', () => {
  it('asks 46elks once the window has passed and applies what it says', async () => {
    const sendId = await sentSend('SMS');
    const { providerMessageId } = await readSend(sendId);
    expect(await look(new Date(Date.now() + 60_000))).toBe(0);

    // Still undelivered at 46elks: marked with the reason, polled again one window later.
    await look(new Date(Date.now() + HOUR));
    expect(await readSend(sendId)).toMatchObject({ status: 'SENT', statusReason: expect.stringContaining('No delivery report from sms-46elks within 15 min') });
    // Within the next window it is left alone.
    expect(await look(new Date(Date.now() + HOUR + 60_000))).toBe(0);

    const stored = elks.messages.get(providerMessageId)!;
    stored.status = 'delivered';
    stored.delivered = '2026-12-02T10:00:00.000000';
    await look(new Date(Date.now() + 2 * HOUR));
    expect(await readSend(sendId)).toMatchObject({ status: 'DELIVERED' });
    const events = (ok(await t.exec(`query($id: ID!) { send(id: $id) { events { status detail } } }`, { id: sendId })) as { send: { events: Array<{ status: string; detail: string | null }> } }).send.events;
    expect(events.at(-1)).toEqual({ status: 'DELIVERED', detail: '46elks status delivered (polled)' });
  });

  it('marks a send of a provider without a status API once, with the reason, and counts it', async () => {
    const sendId = await sentSend('EMAIL');
    await look(new Date(Date.now() + 2 * HOUR));
    expect(await readSend(sendId)).toMatchObject({ status: 'SENT', statusReason: expect.stringContaining('No delivery report from email-brevo within 60 min, and it has no status API') });
    const checkedAt = (await t.app.prisma.send.findUniqueOrThrow({ where: { id: decodeGlobalId(sendId)!.id } })).reportCheckedAt;
    await look(new Date(Date.now() + 5 * HOUR));
    expect((await t.app.prisma.send.findUniqueOrThrow({ where: { id: decodeGlobalId(sendId)!.id } })).reportCheckedAt).toEqual(checkedAt);
    const metrics = await t.app.metrics.registry.metrics();
    expect(metrics).toMatch(/send_reports_overdue_total\{plugin="email-brevo",outcome="unpollable"\} 1/);
    expect(metrics).toMatch(/send_reports_overdue_total\{plugin="sms-46elks",outcome="pending"\} 1/);
    expect(metrics).toMatch(/send_reports_overdue_total\{plugin="sms-46elks",outcome="delivered"\} 1/);
  });
});
