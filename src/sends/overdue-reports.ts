// Sends that stay SENT: the provider accepted them but its delivery report never came (a lost
// callback, a wrong callback URL). Past the plugin's report window a send is looked into once
// per window: where the provider has a status API the plugin asks it and the answer moves the
// send; where it has none the send is marked with the reason, once, and counted, so that it
// does not sit there silently.
import type { OpenChannel } from '../channels/open-channels.ts';
import type { MessagePlugin } from '../channels/contract.ts';
import type { PrismaClient } from '../db/client.ts';
import { publishWritten, type EventBus } from '../events/bus.ts';
import { errorFields, type Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { clip, moveMany } from './status.ts';

/** A plugin that names no report window of its own gets this one. */
export const DEFAULT_REPORT_WINDOW_MS = 60 * 60_000;
const BATCH = 200;

export interface OverdueReportDeps {
  prisma: PrismaClient;
  log: Logger;
  /** The channel configuration a send went out through, opened (plugin, config, context). */
  openChannel(channelConfigId: string): Promise<OpenChannel>;
  metrics: Pick<Metrics, 'overdueReport'>;
  events: Pick<EventBus, 'publish'>;
}

interface SentRow {
  id: string;
  provider: string | null;
  providerMessageId: string | null;
  channelConfigId: string | null;
  updatedAt: Date;
  reportCheckedAt: Date | null;
}

const windowOf = (plugin: MessagePlugin) => plugin.reportWindowMs ?? DEFAULT_REPORT_WINDOW_MS;

/** Looks into SENT sends whose report is overdue at `now` (injectable for tests); returns how many it looked into. */
export async function checkOverdueReports(deps: OverdueReportDeps, minWindowMs: number, now = new Date()): Promise<number> {
  const rows = await deps.prisma.$queryRaw<SentRow[]>`
    SELECT "id", "provider", "providerMessageId", "channelConfigId", "updatedAt", "reportCheckedAt" FROM "Send"
    WHERE "status" = 'SENT' AND "updatedAt" <= ${now}::timestamptz - (${minWindowMs}::int * interval '1 millisecond')
      AND ("reportCheckedAt" IS NULL OR "reportCheckedAt" <= ${now}::timestamptz - (${minWindowMs}::int * interval '1 millisecond'))
    ORDER BY "updatedAt" LIMIT ${BATCH}`;
  let looked = 0;
  for (const row of rows) {
    if (!row.channelConfigId || !row.providerMessageId) continue;
    const channel = await deps.openChannel(row.channelConfigId).catch(() => null);
    if (!channel || channel.plugin.channel === 'COUPON') continue;
    const plugin = channel.plugin as MessagePlugin;
    const window = windowOf(plugin);
    const since = (at: Date | null) => (at ? now.getTime() - at.getTime() : Number.POSITIVE_INFINITY);
    if (since(row.updatedAt) < window || since(row.reportCheckedAt) < window) continue;
    // A provider without a status API is marked once; polling goes on once per window.
    if (!plugin.status && row.reportCheckedAt) continue;
    looked++;
    const minutes = Math.round(window / 60_000);
    let outcome: 'delivered' | 'failed' | 'pending' | 'unpollable' | 'error' = 'unpollable';
    let reason = `No delivery report from ${channel.pluginId} within ${minutes} min, and it has no status API`;
    if (plugin.status) {
      const event = await plugin.status(row.providerMessageId, { ...channel.context }).catch((err: unknown) => {
        deps.log.warn({ sendId: row.id, plugin: channel.pluginId, err: errorFields(err) }, 'polling an overdue delivery report failed');
        return undefined;
      });
      if (event) {
        publishWritten(deps.events, await moveMany(deps.prisma, [{ sendId: row.id, to: event.status, at: event.at, providerAt: event.at, reason: event.detail ?? null }]));
        deps.metrics.overdueReport(channel.pluginId, event.status === 'DELIVERED' ? 'delivered' : 'failed');
        continue;
      }
      outcome = event === undefined ? 'error' : 'pending';
      reason = `No delivery report from ${channel.pluginId} within ${minutes} min; its status API says it is not delivered yet`;
    }
    await deps.prisma.send.update({ where: { id: row.id }, data: { reportCheckedAt: now, statusReason: clip(reason) } });
    deps.metrics.overdueReport(channel.pluginId, outcome);
    deps.log.warn({ sendId: row.id, plugin: channel.pluginId, outcome }, 'delivery report overdue');
  }
  return looked;
}
