// Configuration writes: which provider plugins a tenant uses, in which order, with which
// credentials (sealed with the tenant's data key, never returned). Each change is audited in
// its transaction, with the subprocessor notices (Art. 28) it causes.
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Channel } from '../db/generated/enums.ts';
import { badInput, notFound } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import { recordAudit, type AuditEntry } from '../privacy/audit.ts';
import { encryptField, type TenantKeyStore } from '../privacy/tenant-keys.ts';
import { parseInput } from '../validation.ts';
import type { PluginRegistry } from './registry.ts';
import { subprocessorChanges } from './subprocessors.ts';

export interface ConfigureDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  plugins: PluginRegistry;
}

/** A channel configuration as the platform shows it: everything but the credentials. */
export interface ChannelConfigView {
  id: string;
  tenantId: string;
  pluginId: string;
  channel: Channel;
  priority: number;
  enabled: boolean;
}

/** Binds a sealed configuration to its row: a ciphertext moved to another row does not open. */
export const configContext = (id: string) => `ChannelConfig:${id}`;

export const CONFIG_VIEW = { id: true, tenantId: true, pluginId: true, channel: true, priority: true, enabled: true } as const;

const settingsInput = z.object({
  priority: z.number().int().min(0, 'must be 0 or more').max(1000, 'must be at most 1000').nullish(),
  enabled: z.boolean().nullish(),
});

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
export async function configureChannel(deps: ConfigureDeps, actor: Principal, input: ConfigureChannelInput): Promise<ChannelConfigView> {
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
          select: CONFIG_VIEW,
        })
      : await tx.channelConfig.create({
          data: { id, tenantId, pluginId: plugin.id, channel: plugin.channel, encryptedConfig, priority: settings.priority ?? 0, enabled: settings.enabled ?? true },
          select: CONFIG_VIEW,
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
