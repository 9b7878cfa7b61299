// Channel plugins, tenants' channel configurations and the subprocessor register.
// Credentials go in through configureChannel and never come out: no type here carries them.
import { configureChannel } from '../channels/configure.ts';
import type { ChannelPlugin } from '../channels/contract.ts';
import { configJsonSchema, listSubprocessors, subprocessorOf, type Subprocessor } from '../channels/subprocessors.ts';
import { channelCallbackUrl } from '../channels/webhook-tokens.ts';
import { AppError } from '../errors.ts';
import { ADMIN, ANY_ROLE, inTenant, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { ChannelEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

// The installed catalogue and subprocessor metadata: no tenant data.
export const SubprocessorRef = builder.objectRef<Subprocessor>('Subprocessor').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    pluginId: t.exposeString('pluginId'),
    name: t.exposeString('name'),
    legalEntity: t.exposeString('legalEntity'),
    purpose: t.exposeString('purpose'),
    location: t.exposeString('location', { description: "Where the data is processed, e.g. 'Sweden', 'EU', 'EU/US'." }),
    transferMechanism: t.exposeString('transferMechanism', {
      nullable: true,
      description: "How a transfer outside the EU/EEA is safeguarded, e.g. 'SCCs'; null when none is needed.",
    }),
    dataCategories: t.exposeStringList('dataCategories'),
  }),
});

const ChannelPluginRef = builder.objectRef<ChannelPlugin>('ChannelPlugin').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.exposeString('id'),
    channel: t.expose('channel', { type: ChannelEnum }),
    displayName: t.exposeString('displayName'),
    subprocessor: t.field({ type: SubprocessorRef, resolve: (plugin) => subprocessorOf(plugin) }),
    configSchema: t.field({
      type: 'JSON',
      description:
        'JSON Schema of the configuration configureChannel accepts for this plugin; secret fields are marked writeOnly. Admin screens render their forms from it.',
      resolve: (plugin) => configJsonSchema(plugin),
    }),
  }),
});

const ChannelConfigRef = builder.prismaNode('ChannelConfig', {
  id: { field: 'id' },
  // Never the encrypted configuration: what is not selected cannot leak.
  select: { id: true, tenantId: true, pluginId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    channel: t.expose('channel', { type: ChannelEnum }),
    plugin: t.field({
      type: ChannelPluginRef,
      resolve: (config, _args, ctx) => {
        const plugin = ctx.app.plugins.get(config.pluginId);
        if (!plugin) throw new AppError('NOT_FOUND', `The plugin ${config.pluginId} is not installed`);
        return plugin;
      },
    }),
    priority: t.exposeInt('priority', { description: 'Lower is tried first; the next one is the failover.' }),
    enabled: t.exposeBoolean('enabled'),
    webhookUrl: t.string({
      description:
        "Where this channel's provider posts delivery reports and redemptions; set it as the account's webhook URL where the provider asks for one. TENANT_ADMIN only.",
      authScopes: (config) => inTenant(config.tenantId, ADMIN),
      resolve: (config, _args, ctx) => channelCallbackUrl(ctx.app, config),
    }),
  }),
});

builder.prismaObjectField('Tenant', 'channels', (t) =>
  t.relation('channelConfigs', {
    // Configurations of plugins no longer installed are left out: nothing is sent through them.
    query: (_args, ctx) => ({
      where: { pluginId: { in: ctx.app.plugins.ids() } },
      orderBy: [{ channel: 'asc' }, { priority: 'asc' }, { pluginId: 'asc' }],
    }),
  }),
);

builder.queryFields((t) => ({
  channelPlugins: t.field({
    type: [ChannelPluginRef],
    description: 'Every provider plugin installed in this service.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.app.plugins.list(),
  }),
  subprocessors: t.field({
    type: [SubprocessorRef],
    description: "The subprocessors that process this tenant's personal data, derived from its configured channels.",
    args: { tenantId: t.arg.globalID({ for: TenantRef, required: true }) },
    authScopes: (_root, args) => inTenant(args.tenantId.id, ANY_ROLE),
    resolve: (_root, args, ctx) => listSubprocessors(ctx.app, args.tenantId.id),
  }),
}));

const ConfigureChannelInput = builder.inputType('ConfigureChannelInput', {
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true }),
    pluginId: t.string({ required: true }),
    config: t.field({
      type: 'JSON',
      required: true,
      description: 'Provider credentials and options, validated by the plugin; stored encrypted, never returned.',
    }),
    priority: t.int(),
    enabled: t.boolean(),
  }),
});

builder.mutationField('configureChannel', (t) =>
  withCaller(t).field({
    type: ChannelConfigRef,
    args: { input: t.arg({ type: ConfigureChannelInput, required: true }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: (_root, { input }, ctx) => configureChannel(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId.id }),
  }),
);
