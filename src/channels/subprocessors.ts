// The subprocessor register (GDPR Art. 28): who processes a tenant's personal data, derived
// from the plugins of its enabled channels, and the changes to it that configureChannel
// records as audit notices. Also the plugins' config schemas as the catalogue shows them.
import { z } from 'zod';
import type { PrismaClient } from '../db/client.ts';
import { notFound } from '../errors.ts';
import type { ChannelPlugin, SubprocessorInfo } from './contract.ts';
import type { PluginRegistry } from './registry.ts';

export interface SubprocessorDeps {
  prisma: PrismaClient;
  plugins: PluginRegistry;
}

/** One entry of a tenant's subprocessor register. */
export interface Subprocessor extends SubprocessorInfo {
  pluginId: string;
}

/** Same legal entity and name: one subprocessor, however many plugins use it. */
export const subprocessorKey = (info: SubprocessorInfo) => `${info.legalEntity}\u0000${info.name}`;

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

/** 'added' when a change of enabled plugins brings a subprocessor in, 'removed' when it drops the last use of one. */
export function subprocessorChanges(plugins: PluginRegistry, before: readonly string[], after: readonly string[]): Array<'added' | 'removed'> {
  const keys = (ids: readonly string[]) => new Set(subprocessorsOf(plugins, ids).map(subprocessorKey));
  const [was, is] = [keys(before), keys(after)];
  const added = [...is].filter((key) => !was.has(key)).map(() => 'added' as const);
  const removed = [...was].filter((key) => !is.has(key)).map(() => 'removed' as const);
  return [...added, ...removed];
}

/** The subprocessors processing the tenant's data: those of its enabled channels. */
export async function listSubprocessors(deps: SubprocessorDeps, tenantId: string): Promise<Subprocessor[]> {
  const tenant = await deps.prisma.tenant.findUnique({
    where: { id: tenantId },
    select: { channelConfigs: { where: { enabled: true }, select: { pluginId: true }, orderBy: [{ channel: 'asc' }, { priority: 'asc' }, { pluginId: 'asc' }] } },
  });
  if (!tenant) throw notFound('Tenant');
  return subprocessorsOf(deps.plugins, tenant.channelConfigs.map((c) => c.pluginId));
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
