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
  description: 'A provider that processes personal data for the platform (GDPR Art. 28), as the subprocessor register lists it.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    pluginId: t.exposeString('pluginId', { description: 'The plugin that connects this provider.' }),
    name: t.exposeString('name', { description: "The provider's trading name." }),
    legalEntity: t.exposeString('legalEntity', { description: 'The company that processes the data.' }),
    purpose: t.exposeString('purpose', { description: 'What the provider does with the data.' }),
    location: t.exposeString('location', { description: "Where the data is processed, e.g. 'Sweden', 'EU', 'EU/US'." }),
    transferMechanism: t.exposeString('transferMechanism', {
      nullable: true,
      description: "How a transfer outside the EU/EEA is safeguarded, e.g. 'SCCs'; null when none is needed.",
    }),
    dataCategories: t.exposeStringList('dataCategories', { description: "The kinds of personal data it receives, e.g. 'phone number', 'message text'." }),
  }),
});

const ChannelPluginRef = builder.objectRef<ChannelPlugin>('ChannelPlugin').implement({
  description: 'A provider plugin installed in the service; a tenant uses it after configureChannel.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.exposeString('id', { description: "The plugin's id, e.g. 'sms-46elks'; configureChannel's pluginId." }),
    channel: t.expose('channel', { type: ChannelEnum, description: 'What it delivers (or, for COUPON, issues).' }),
    displayName: t.exposeString('displayName', { description: "The provider's name for screens." }),
    subprocessor: t.field({ type: SubprocessorRef, description: 'The provider as a GDPR subprocessor.', resolve: (plugin) => subprocessorOf(plugin) }),
    configSchema: t.field({
      type: 'JSON',
      description:
        'JSON Schema of the configuration configureChannel accepts for this plugin; secret fields are marked writeOnly. Admin screens render their forms from it.',
      resolve: (plugin) => configJsonSchema(plugin),
    }),
  }),
});

const ChannelConfigRef = builder.prismaNode('ChannelConfig', {
  description: "A tenant's use of one plugin: its order among the channel's plugins and whether it is on. Credentials never come out.",
  id: { field: 'id' },
  // Never the encrypted configuration: what is not selected cannot leak.
  select: { id: true, tenantId: true, pluginId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    channel: t.expose('channel', { type: ChannelEnum, description: "The plugin's channel." }),
    plugin: t.field({
      type: ChannelPluginRef,
      description: 'The plugin configured; NOT_FOUND when it is no longer installed.',
      resolve: (config, _args, ctx) => {
        const plugin = ctx.app.plugins.get(config.pluginId);
        if (!plugin) throw new AppError('NOT_FOUND', `The plugin ${config.pluginId} is not installed`);
        return plugin;
      },
    }),
    priority: t.exposeInt('priority', { description: 'Lower is tried first; the next one is the failover.' }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether sends may use it; disabled ones are skipped.' }),
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
    description: "The tenant's channel configurations of installed plugins, by channel, then priority.",
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
    description: 'Every provider plugin installed in this service. Any authenticated caller.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.app.plugins.list(),
  }),
  subprocessors: t.field({
    type: [SubprocessorRef],
    description: "The subprocessors that process this tenant's personal data, derived from its configured channels. Any member of the tenant; FORBIDDEN for another tenant.",
    args: { tenantId: t.arg.globalID({ for: TenantRef, required: true, description: 'The tenant whose register it is.' }) },
    authScopes: (_root, args) => inTenant(args.tenantId.id, ANY_ROLE),
    resolve: (_root, args, ctx) => listSubprocessors(ctx.app, args.tenantId.id),
  }),
}));

const ConfigureChannelInput = builder.inputType('ConfigureChannelInput', {
  description: "A tenant's configuration of one plugin; configuring the same plugin again replaces it.",
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant configuring it.' }),
    pluginId: t.string({ required: true, description: 'An id from channelPlugins; BAD_USER_INPUT when none is installed with it.' }),
    config: t.field({
      type: 'JSON',
      required: true,
      description: 'Provider credentials and options, validated by the plugin; stored encrypted, never returned.',
    }),
    priority: t.int({ description: 'Lower is tried first (default 0); the next one is the failover.' }),
    enabled: t.boolean({ description: 'Whether sends may use it (default true).' }),
  }),
});

builder.mutationField('configureChannel', (t) =>
  withCaller(t).field({
    type: ChannelConfigRef,
    description: "Configures a plugin for the tenant, storing its credentials encrypted. TENANT_ADMIN only (else FORBIDDEN); BAD_USER_INPUT names the config field the plugin refuses.",
    args: { input: t.arg({ type: ConfigureChannelInput, required: true, description: 'The configuration.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: (_root, { input }, ctx) => configureChannel(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId.id }),
  }),
);
