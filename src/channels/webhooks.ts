// Provider callbacks (/webhooks/:pluginId/:token): the token names one tenant channel and
// proves the caller got the URL from us; the plugin checks the provider's signature where it
// signs. Verified events go into ProviderEvent, the durable inbox that the send status machine
// consumes; its unique key makes a repeated callback insert nothing.
import { WebhookAuthError, type StatusEvent, type WebhookRequest } from './contract.ts';
import { openByWebhookToken, type ChannelDeps } from './channel-configs.ts';
import type { Logger } from '../log.ts';

/** Provider callbacks are small; larger bodies are refused unread. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

const MAX_DETAIL_LENGTH = 500;

export interface WebhookOutcome {
  /** 200 stored (or nothing to store), 400 malformed, 401 not authentic, 404 no such plugin. */
  status: 200 | 400 | 401 | 404;
  /** Events newly stored; a repeated callback stores none. */
  stored: number;
}

export async function receiveWebhook(
  deps: ChannelDeps & { log: Logger },
  pluginId: string,
  token: string,
  request: WebhookRequest,
): Promise<WebhookOutcome> {
  const plugin = deps.plugins.get(pluginId);
  if (!plugin?.parseWebhook) return { status: 404, stored: 0 };
  const channel = await openByWebhookToken(deps, pluginId, token);
  if (!channel) {
    deps.log.warn({ pluginId }, 'webhook refused: unknown token');
    return { status: 401, stored: 0 };
  }

  let events: StatusEvent[];
  try {
    events = await plugin.parseWebhook(request, { config: channel.config, callbackUrl: channel.callbackUrl });
  } catch (err) {
    if (err instanceof WebhookAuthError) {
      deps.log.warn({ pluginId, channelConfigId: channel.id }, 'webhook refused: not authentic');
      return { status: 401, stored: 0 };
    }
    deps.log.warn({ pluginId, channelConfigId: channel.id, err: { type: (err as Error).name } }, 'webhook body not understood');
    return { status: 400, stored: 0 };
  }

  if (events.length === 0) return { status: 200, stored: 0 };
  const receivedAt = new Date();
  const { count } = await deps.prisma.providerEvent.createMany({
    data: events.map((event) => ({
      tenantId: channel.tenantId,
      channelConfigId: channel.id,
      pluginId,
      kind: event.kind,
      providerRef: event.kind === 'message' ? event.providerMessageId : event.providerGiftId,
      status: event.status,
      occurredAt: Number.isNaN(event.at.getTime()) ? receivedAt : event.at,
      detail: event.detail?.slice(0, MAX_DETAIL_LENGTH) ?? null,
      receivedAt,
    })),
    skipDuplicates: true,
  });
  return { status: 200, stored: count };
}
