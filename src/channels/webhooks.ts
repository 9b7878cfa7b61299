// Provider callbacks (/webhooks/:pluginId/:token): the token names one tenant channel and
// proves the caller got the URL from us; the plugin checks the provider's signature where it
// signs. Verified events go into ProviderEvent, the durable inbox that the send status machine
// consumes; its unique key makes a repeated callback insert nothing. A busy provider posts
// hundreds of reports a second, so opened channels are reused for a few seconds and the
// inserts of concurrent callbacks share one statement.
import { batched } from '../batch.ts';
import { newUuidV7 } from '../ids.ts';
import type { Logger } from '../log.ts';
import { TtlCache } from '../ttl-cache.ts';
import { WebhookAuthError, type StatusEvent, type WebhookRequest } from './contract.ts';
import { openByWebhookToken, type OpenChannel, type OpenChannelDeps } from './open-channels.ts';

/** Provider callbacks are small; larger bodies are refused unread. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

const MAX_DETAIL_LENGTH = 500;
/** How long an opened channel is reused; a changed webhook secret applies after this at most. */
const CHANNEL_CACHE_MS = 5_000;

export interface WebhookOutcome {
  /** 200 stored (or nothing to store), 400 malformed, 401 not authentic, 404 no such plugin. */
  status: 200 | 400 | 401 | 404;
  /** Ids of the events newly stored; a repeated callback stores none. */
  stored: string[];
}

interface InboxRow {
  tenantId: string;
  channelConfigId: string;
  pluginId: string;
  kind: string;
  providerRef: string;
  status: string;
  occurredAt: Date;
  detail: string | null;
  receivedAt: Date;
}

const uniqueKey = (r: Pick<InboxRow, 'channelConfigId' | 'kind' | 'providerRef' | 'status'>) => `${r.channelConfigId}|${r.kind}|${r.providerRef}|${r.status}`;

export class WebhookIntake {
  /** Opened channels by plugin and token; unknown tokens are looked up every time. */
  private readonly channels = new TtlCache<string, OpenChannel | null>(CHANNEL_CACHE_MS, (opened) => opened !== null);

  /** Stores rows of concurrent callbacks in one insert; each gets its new id, or null if already stored. */
  private readonly inserts = batched<InboxRow, string | null>(async (rows) => {
    const col = <T>(pick: (r: InboxRow) => T) => rows.map(pick);
    const stored = await this.deps.prisma.$queryRawUnsafe<Array<Pick<InboxRow, 'channelConfigId' | 'kind' | 'providerRef' | 'status'> & { id: string }>>(
      `INSERT INTO "ProviderEvent" ("id", "tenantId", "channelConfigId", "pluginId", "kind", "providerRef", "status", "occurredAt", "detail", "receivedAt")
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::timestamptz[])
       ON CONFLICT DO NOTHING
       RETURNING "id", "channelConfigId", "kind", "providerRef", "status"`,
      col(() => newUuidV7()),
      col((r) => r.tenantId),
      col((r) => r.channelConfigId),
      col((r) => r.pluginId),
      col((r) => r.kind),
      col((r) => r.providerRef),
      col((r) => r.status),
      col((r) => r.occurredAt),
      col((r) => r.detail),
      col((r) => r.receivedAt),
    );
    const idByKey = new Map(stored.map((r) => [uniqueKey(r), r.id]));
    // The same event twice in one batch: the first caller stored it.
    return rows.map((r) => {
      const id = idByKey.get(uniqueKey(r)) ?? null;
      idByKey.delete(uniqueKey(r));
      return id;
    });
  });

  constructor(private readonly deps: OpenChannelDeps & { log: Logger }) {}

  async receive(pluginId: string, token: string, request: WebhookRequest, log: Logger = this.deps.log): Promise<WebhookOutcome> {
    const plugin = this.deps.plugins.get(pluginId);
    if (!plugin?.parseWebhook) return { status: 404, stored: [] };
    const channel = await this.channels.get(`${pluginId}/${token}`, () => openByWebhookToken(this.deps, pluginId, token));
    if (!channel) {
      log.warn({ pluginId }, 'webhook refused: unknown token');
      return { status: 401, stored: [] };
    }

    let events: StatusEvent[];
    try {
      events = await plugin.parseWebhook(request, channel.context);
    } catch (err) {
      if (err instanceof WebhookAuthError) {
        log.warn({ pluginId, channelConfigId: channel.id }, 'webhook refused: not authentic');
        return { status: 401, stored: [] };
      }
      log.warn({ pluginId, channelConfigId: channel.id, err: { type: (err as Error).name } }, 'webhook body not understood');
      return { status: 400, stored: [] };
    }

    const receivedAt = new Date();
    const ids = await Promise.all(
      events.map((event) =>
        this.inserts.load({
          tenantId: channel.tenantId,
          channelConfigId: channel.id,
          pluginId,
          kind: event.kind,
          providerRef: event.kind === 'message' ? event.providerMessageId : event.providerGiftId,
          status: event.status,
          occurredAt: Number.isNaN(event.at.getTime()) ? receivedAt : event.at,
          detail: event.detail?.slice(0, MAX_DETAIL_LENGTH) ?? null,
          receivedAt,
        }),
      ),
    );
    return { status: 200, stored: ids.filter((id): id is string => id !== null) };
  }
}
