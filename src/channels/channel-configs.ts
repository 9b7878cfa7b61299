// Tenants' channel configurations: which provider plugins a tenant uses, in which order, with
// which credentials (sealed with the tenant's data key, never returned), and the subprocessor
// register (GDPR Art. 28) that follows from them. Also the per-channel webhook tokens.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/client.ts';
import { AppError, badInput, notFound } from '../errors.ts';
import { isUuid, newUuidV7 } from '../ids.ts';
import { recordAudit, type AuditEntry } from '../privacy/audit.ts';
import { decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';
import { parseInput } from '../validation.ts';
import type { ChannelKind, ChannelPlugin, SubprocessorInfo } from './contract.ts';
import type { PluginRegistry } from './registry.ts';

export type ChannelDeps = Pick<App, 'prisma' | 'tenantKeys' | 'plugins' | 'config'>;

/** One entry of a tenant's subprocessor register. */
export interface Subprocessor extends SubprocessorInfo {
  pluginId: string;
}

/** A channel configuration as the platform shows it: everything but the credentials. */
export interface ChannelConfigView {
  id: string;
  tenantId: string;
  pluginId: string;
  channel: ChannelKind;
  priority: number;
  enabled: boolean;
}

/** A channel configuration opened for use: the plugin, its decrypted config and its callback URL. */
export interface OpenChannelConfig extends ChannelConfigView {
  plugin: ChannelPlugin;
  config: Record<string, unknown>;
  callbackUrl: string;
}

const VIEW = { id: true, tenantId: true, pluginId: true, channel: true, priority: true, enabled: true } as const;

const configContext = (id: string) => `ChannelConfig:${id}`;

const settingsInput = z.object({
  priority: z.number().int().min(0, 'must be 0 or more').max(1000, 'must be at most 1000').nullish(),
  enabled: z.boolean().nullish(),
});

/** Same legal entity and name: one subprocessor, however many plugins use it. */
const subprocessorKey = (info: SubprocessorInfo) => `${info.legalEntity}\u0000${info.name}`;

export function subprocessorOf(plugin: ChannelPlugin): Subprocessor {
  return { pluginId: plugin.id, ...plugin.subprocessor };
}

/** The register for these plugins (in order), one entry per subprocessor, data categories merged. */
export function subprocessorsOf(plugins: PluginRegistry, pluginIds: readonly string[]): Subprocessor[] {
  const register = new Map<string, Subprocessor>();
  for (const id of pluginIds) {
    // A configuration whose plugin is no longer installed sends nothing, so it processes nothing.
    const plugin = plugins.get(id);
    if (!plugin) continue;
    const key = subprocessorKey(plugin.subprocessor);
    const known = register.get(key);
    if (known) known.dataCategories = [...new Set([...known.dataCategories, ...plugin.subprocessor.dataCategories])];
    else register.set(key, { ...subprocessorOf(plugin), dataCategories: [...plugin.subprocessor.dataCategories] });
  }
  return [...register.values()];
}

const jsonSchemas = new WeakMap<ChannelPlugin, Record<string, unknown>>();

/** The plugin's configSchema as JSON Schema of what configureChannel accepts; secrets carry writeOnly. */
export function configJsonSchema(plugin: ChannelPlugin): Record<string, unknown> {
  let schema = jsonSchemas.get(plugin);
  if (!schema) {
    schema = z.toJSONSchema(plugin.configSchema, { io: 'input' }) as Record<string, unknown>;
    jsonSchemas.set(plugin, schema);
  }
  return schema;
}

export interface ConfigureChannelInput {
  tenantId: string;
  pluginId: string;
  /** Validated here by the plugin's configSchema. */
  config?: unknown;
  priority?: number | null;
  enabled?: boolean | null;
}

/**
 * Creates or replaces the tenant's configuration of one plugin. The change is audited in the
 * same transaction, and so is any subprocessor it brings in or drops (the Art. 28 notice).
 */
export async function configureChannel(deps: ChannelDeps, actor: Principal, input: ConfigureChannelInput): Promise<ChannelConfigView> {
  const plugin = deps.plugins.get(input.pluginId);
  if (!plugin) throw badInput('pluginId', 'no installed plugin has this id (see channelPlugins)');
  const { config } = parseInput(z.object({ config: plugin.configSchema }), { config: input.config });
  const settings = parseInput(settingsInput, { priority: input.priority, enabled: input.enabled });
  const { tenantId } = input;

  return deps.prisma.$transaction(async (tx) => {
    // Serialises configuration changes per tenant, so each subprocessor change is noticed once.
    const tenant = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Tenant" WHERE "id" = ${tenantId}::uuid FOR UPDATE`;
    if (tenant.length === 0) throw notFound('Tenant');
    const keys = await deps.tenantKeys.get(tenantId, tx);
    const enabledBefore = await tx.channelConfig.findMany({ where: { tenantId, enabled: true }, select: { pluginId: true } });
    const existing = await tx.channelConfig.findUnique({ where: { tenantId_pluginId: { tenantId, pluginId: plugin.id } }, select: { id: true } });

    const id = existing?.id ?? newUuidV7();
    const encryptedConfig = encryptField(keys, JSON.stringify(config), configContext(id));
    const saved = existing
      ? await tx.channelConfig.update({
          where: { id },
          data: { encryptedConfig, priority: settings.priority ?? undefined, enabled: settings.enabled ?? undefined },
          select: VIEW,
        })
      : await tx.channelConfig.create({
          data: { id, tenantId, pluginId: plugin.id, channel: plugin.channel, encryptedConfig, priority: settings.priority ?? 0, enabled: settings.enabled ?? true },
          select: VIEW,
        });

    const before = enabledBefore.map((c) => c.pluginId);
    const after = [...before.filter((p) => p !== plugin.id), ...(saved.enabled ? [plugin.id] : [])];
    await recordAudit(
      tx,
      { tenantId, actor: actor.actor, action: 'channel.configured', targetType: 'ChannelConfig', targetId: id },
      ...subprocessorChanges(deps.plugins, before, after).map(
        (change): AuditEntry => ({ tenantId, actor: actor.actor, action: `subprocessor.${change}`, targetType: 'Subprocessor', targetId: plugin.id }),
      ),
    );
    return saved;
  });
}

/** 'added' when the change brings a subprocessor in, 'removed' when it drops the last use of one. */
function subprocessorChanges(plugins: PluginRegistry, before: string[], after: string[]): Array<'added' | 'removed'> {
  const keys = (ids: string[]) => new Set(subprocessorsOf(plugins, ids).map(subprocessorKey));
  const [was, is] = [keys(before), keys(after)];
  const added = [...is].filter((key) => !was.has(key)).map(() => 'added' as const);
  const removed = [...was].filter((key) => !is.has(key)).map(() => 'removed' as const);
  return [...added, ...removed];
}

/** The subprocessors processing the tenant's data: those of its enabled channels. */
export async function listSubprocessors(deps: ChannelDeps, tenantId: string): Promise<Subprocessor[]> {
  const tenant = await deps.prisma.tenant.findUnique({
    where: { id: tenantId },
    select: { channelConfigs: { where: { enabled: true }, select: { pluginId: true }, orderBy: [{ channel: 'asc' }, { priority: 'asc' }, { pluginId: 'asc' }] } },
  });
  if (!tenant) throw notFound('Tenant');
  return subprocessorsOf(deps.plugins, tenant.channelConfigs.map((c) => c.pluginId));
}

/** Loads a channel configuration with its credentials decrypted, for the send path. */
export async function loadChannelConfig(deps: ChannelDeps, id: string, tx: Tx = deps.prisma): Promise<OpenChannelConfig> {
  const row = await tx.channelConfig.findUnique({ where: { id }, select: { ...VIEW, encryptedConfig: true } });
  if (!row) throw notFound('ChannelConfig');
  return openRow(deps, row, await deps.tenantKeys.get(row.tenantId, tx));
}

function openRow(deps: ChannelDeps, row: ChannelConfigView & { encryptedConfig: Uint8Array }, keys: TenantKeys): OpenChannelConfig {
  const plugin = deps.plugins.get(row.pluginId);
  if (!plugin) throw new AppError('NO_CHANNEL_CONFIGURED', `The plugin ${row.pluginId} is not installed`);
  const { encryptedConfig, ...view } = row;
  const config = JSON.parse(decryptField(keys, encryptedConfig, configContext(row.id))) as Record<string, unknown>;
  return { ...view, plugin, config, callbackUrl: callbackUrlFor(deps, keys, row) };
}

type ChannelRef = Pick<ChannelConfigView, 'id' | 'tenantId' | 'pluginId'>;

const callbackUrlFor = (deps: ChannelDeps, keys: TenantKeys, channel: ChannelRef) =>
  `${deps.config.publicUrl}/webhooks/${channel.pluginId}/${webhookToken(keys, channel.id)}`;

/** Where the provider of this channel posts its callbacks (account-level webhooks are set to it). */
export async function channelCallbackUrl(deps: ChannelDeps, channel: ChannelRef): Promise<string> {
  return callbackUrlFor(deps, await deps.tenantKeys.get(channel.tenantId), channel);
}

/**
 * `<config id>.<HMAC of it under the tenant's token key>`, both base64url: unguessable, bound to
 * one tenant channel, and checkable without storing anything.
 */
export function webhookToken(keys: TenantKeys, configId: string): string {
  const id = Buffer.from(configId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${tokenMac(keys, configId).toString('base64url')}`;
}

const tokenMac = (keys: TenantKeys, configId: string) => createHmac('sha256', keys.tokenKey).update(configId).digest();

/** The channel configuration a webhook token names, opened; null when the token is not one of ours for this plugin. */
export async function openByWebhookToken(deps: ChannelDeps, pluginId: string, token: string): Promise<OpenChannelConfig | null> {
  const [idPart, macPart, ...rest] = token.split('.');
  if (!idPart || !macPart || rest.length > 0) return null;
  const hex = Buffer.from(idPart, 'base64url').toString('hex');
  const configId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!isUuid(configId)) return null;
  const row = await deps.prisma.channelConfig.findUnique({ where: { id: configId }, select: { ...VIEW, encryptedConfig: true } });
  // Disabled channels still take callbacks: what was sent before still reports.
  if (!row || row.pluginId !== pluginId) return null;
  const keys = await deps.tenantKeys.get(row.tenantId);
  const given = Buffer.from(macPart, 'base64url');
  const expected = tokenMac(keys, configId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return openRow(deps, row, keys);
}
