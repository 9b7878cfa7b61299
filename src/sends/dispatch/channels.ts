// What the dispatcher needs of a tenant's channel configurations: the enabled ones of a
// channel, opened (plugin, decrypted config, callback URL) and in priority order.
import { loadChannelConfig, type ChannelDeps, type OpenChannelConfig } from '../../channels/channel-configs.ts';
import type { ChannelPlugin, PluginContext } from '../../channels/contract.ts';
import type { RateLimit } from '../rate-limiter.ts';
import type { DeliveryChannel } from '../send-request.ts';

export interface UsableChannel<P> {
  id: string;
  pluginId: string;
  plugin: P;
  /** What the plugin's calls receive, less the per-call signal. */
  context: Omit<PluginContext<Record<string, unknown>>, 'signal'>;
  rateLimit: RateLimit | null;
}

type MessagePlugin = Pick<ChannelPlugin, 'recipientFields'> & { send: NonNullable<ChannelPlugin['send']> };
type CouponPlugin = Pick<ChannelPlugin, 'recipientFields'> & { issue: NonNullable<ChannelPlugin['issue']> };
export type MessageChannel = UsableChannel<MessagePlugin>;
export type CouponChannel = UsableChannel<CouponPlugin>;

export interface DispatchChannels {
  messageChannels(tenantId: string, channel: DeliveryChannel): Promise<MessageChannel[]>;
  couponChannels(tenantId: string): Promise<CouponChannel[]>;
}

/** Opened configurations are reused this long, so a burst does not decrypt them per send. */
const CACHE_MS = 5_000;

export function dispatchChannels(deps: ChannelDeps): DispatchChannels {
  const cache = new Map<string, { at: number; configs: Promise<OpenChannelConfig[]> }>();
  const open = (tenantId: string, channel: DeliveryChannel | 'COUPON'): Promise<OpenChannelConfig[]> => {
    const key = `${tenantId}|${channel}`;
    const cached = cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.configs;
    const configs = (async () => {
      const rows = await deps.prisma.channelConfig.findMany({ where: { tenantId, channel, enabled: true }, orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }], select: { id: true } });
      const opened = await Promise.all(rows.map((r) => loadChannelConfig(deps, r.id).catch(() => null)));
      return opened.filter((c): c is OpenChannelConfig => c !== null);
    })();
    configs.catch(() => cache.delete(key));
    cache.set(key, { at: Date.now(), configs });
    return configs;
  };
  const usable = (c: OpenChannelConfig) => ({
    id: c.id,
    pluginId: c.pluginId,
    context: { config: c.config, callbackUrl: c.callbackUrl },
    rateLimit: typeof c.config.maxPerSecond === 'number' ? { max: c.config.maxPerSecond, perMs: 1000 } : (c.plugin.rateLimit ?? null),
  });
  return {
    async messageChannels(tenantId, channel) {
      return (await open(tenantId, channel)).flatMap((c) => (c.plugin.send ? [{ ...usable(c), plugin: { recipientFields: c.plugin.recipientFields, send: c.plugin.send.bind(c.plugin) } }] : []));
    },
    async couponChannels(tenantId) {
      return (await open(tenantId, 'COUPON')).flatMap((c) => (c.plugin.issue ? [{ ...usable(c), plugin: { recipientFields: c.plugin.recipientFields, issue: c.plugin.issue.bind(c.plugin) } }] : []));
    },
  };
}
