// Opening channel configurations for use: the plugin, the decrypted config, and the context
// every plugin call receives (config, callback URL, outbound policy). The dispatcher asks for
// a tenant's enabled channels in priority order; the webhook intake opens the one a token names.
import type { PrismaClient, Tx } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import { decryptField, type TenantKeys, type TenantKeyStore } from '../privacy/tenant-keys.ts';
import { TtlCache } from '../ttl-cache.ts';
import { CONFIG_VIEW, configContext, type ChannelConfigView } from './configure.ts';
import type { ChannelPlugin, CouponPlugin, MessageChannelKind, MessagePlugin, OutboundPolicy, PluginContext, RateLimit } from './contract.ts';
import type { PluginRegistry } from './registry.ts';
import { callbackUrlFor, readWebhookToken, webhookMacMatches } from './webhook-tokens.ts';

export interface OpenChannelDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  plugins: PluginRegistry;
  /** Callback URLs are built from the service's public URL. */
  config: { publicUrl: string };
  outbound: OutboundPolicy;
}

/** A channel configuration opened for use. */
export interface OpenChannel<P extends ChannelPlugin = ChannelPlugin> extends ChannelConfigView {
  plugin: P;
  config: Record<string, unknown>;
  /** What plugin calls receive, less the per-call signal. */
  context: Omit<PluginContext<Record<string, unknown>>, 'signal'>;
  /** The config's maxPerSecond as {max, perMs: 1000}, else the plugin's rateLimit, else null. */
  rateLimit: RateLimit | null;
}

/** A tenant's enabled channels, in priority order (then oldest first). */
export interface TenantChannels {
  messageChannels(tenantId: string, channel: MessageChannelKind): Promise<OpenChannel<MessagePlugin>[]>;
  couponChannels(tenantId: string): Promise<OpenChannel<CouponPlugin>[]>;
}

/** Opened configurations are reused this long, so a burst does not decrypt them per send. */
const CHANNELS_CACHE_MS = 5_000;

type SealedRow = ChannelConfigView & { encryptedConfig: Uint8Array };

const SEALED = { ...CONFIG_VIEW, encryptedConfig: true } as const;

function open(deps: OpenChannelDeps, row: SealedRow, keys: TenantKeys): OpenChannel {
  const plugin = deps.plugins.get(row.pluginId);
  if (!plugin) throw new AppError('NO_CHANNEL_CONFIGURED', `The plugin ${row.pluginId} is not installed`);
  const { encryptedConfig, ...view } = row;
  const config = JSON.parse(decryptField(keys, encryptedConfig, configContext(row.id))) as Record<string, unknown>;
  const maxPerSecond = config.maxPerSecond;
  return {
    ...view,
    plugin,
    config,
    context: { config, callbackUrl: callbackUrlFor(deps.config.publicUrl, keys, row), outbound: deps.outbound },
    rateLimit: typeof maxPerSecond === 'number' ? { max: maxPerSecond, perMs: 1000 } : (plugin.rateLimit ?? null),
  };
}

/** One configuration by id, opened; for administration and tests (sends use tenantChannels). */
export async function openChannelById(deps: OpenChannelDeps, id: string, tx: Tx = deps.prisma): Promise<OpenChannel> {
  const row = await tx.channelConfig.findUnique({ where: { id }, select: SEALED });
  if (!row) throw notFound('ChannelConfig');
  return open(deps, row, await deps.tenantKeys.get(row.tenantId, tx));
}

/** The channel configuration a webhook token names, opened; null when the token is not one of ours for this plugin. */
export async function openByWebhookToken(deps: OpenChannelDeps, pluginId: string, token: string): Promise<OpenChannel | null> {
  const read = readWebhookToken(token);
  if (!read) return null;
  const row = await deps.prisma.channelConfig.findUnique({ where: { id: read.configId }, select: SEALED });
  // Disabled channels still take callbacks: what was sent before still reports.
  if (!row || row.pluginId !== pluginId) return null;
  const keys = await deps.tenantKeys.get(row.tenantId);
  return webhookMacMatches(keys, read.configId, read.mac) ? open(deps, row, keys) : null;
}

export function tenantChannels(deps: OpenChannelDeps): TenantChannels {
  const cache = new TtlCache<string, OpenChannel[]>(CHANNELS_CACHE_MS);
  const enabled = (tenantId: string, channel: ChannelPlugin['channel']) =>
    cache.get(`${tenantId}|${channel}`, async () => {
      const rows = await deps.prisma.channelConfig.findMany({ where: { tenantId, channel, enabled: true }, orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }], select: SEALED });
      if (rows.length === 0) return [];
      const keys = await deps.tenantKeys.get(tenantId);
      // A configuration that does not open (plugin uninstalled, config unreadable) sends nothing; the others still do.
      return rows.flatMap((row) => {
        try {
          return [open(deps, row, keys)];
        } catch {
          return [];
        }
      });
    });
  return {
    async messageChannels(tenantId, channel) {
      return (await enabled(tenantId, channel)).filter((c): c is OpenChannel<MessagePlugin> => c.plugin.channel === channel);
    },
    async couponChannels(tenantId) {
      return (await enabled(tenantId, 'COUPON')).filter((c): c is OpenChannel<CouponPlugin> => c.plugin.channel === 'COUPON');
    },
  };
}
