// Campaigns: createCampaign, Campaign (with stats; its sends are in send.ts) and Tenant.campaigns.
import { createCampaign } from '../sends/campaigns.ts';
import type { CampaignStats } from '../sends/campaign-stats.ts';
import { inTenant, SENDERS, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { ChannelEnum } from './enums.ts';
import { GiftInput, MessageInput } from './message.ts';
import { RecipientRef } from './recipient.ts';
import { TenantRef } from './tenant.ts';

const CampaignStatsRef = builder.objectRef<CampaignStats>('CampaignStats').implement({
  description: "How many of a campaign's sends are in each status.",
  // Reached only through Campaign.stats.
  authScopes: { authenticated: true },
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'All sends of the campaign.' }),
    queued: t.exposeInt('queued', { description: 'Waiting for dispatch or being handed to a provider.' }),
    sent: t.exposeInt('sent', { description: 'Accepted by a provider, no delivery report yet.' }),
    delivered: t.exposeInt('delivered', { description: 'Reported delivered.' }),
    failed: t.exposeInt('failed', { description: 'Failed for good.' }),
    blocked: t.exposeInt('blocked', { description: 'Refused before dispatch (consent, restriction, objection).' }),
    canceled: t.exposeInt('canceled', { description: 'Cancelled before dispatch.' }),
    giftsRedeemed: t.exposeInt('giftsRedeemed', { description: 'Gifts of these sends that were redeemed.' }),
  }),
});

export const CampaignRef = builder.prismaNode('Campaign', {
  description: 'One message sent to many recipients, one send each. Any member of the tenant may read it.',
  id: { field: 'id' },
  select: { id: true, tenantId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    channel: t.expose('channel', { type: ChannelEnum, description: 'The channel its sends go out on.' }),
    purpose: t.exposeString('purposeKey', { description: 'The key of the purpose it is sent under.' }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true, description: 'When its sends are due; null for at once.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    stats: t.field({ type: CampaignStatsRef, description: 'Its sends counted by status.', resolve: (campaign, _a, ctx) => ctx.campaignStats.load(campaign.id) }),
  }),
});

builder.prismaObjectField(TenantRef, 'campaigns', (t) =>
  t.prismaConnection(
    {
      type: 'Campaign',
      cursor: 'id',
      description: "The tenant's campaigns, newest first. Any member of the tenant.",
      resolve: (query, tenant, _args, ctx) => ctx.app.prisma.campaign.findMany({ ...query, where: { tenantId: tenant.id }, orderBy: { id: 'desc' } }),
    },
    { name: 'CampaignConnection', description: 'A page of campaigns.' },
    { name: 'CampaignEdge' },
  ),
);

const CreateCampaignInput = builder.inputType('CreateCampaignInput', {
  description: 'One message to many recipients.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant sending it.' }),
    name: t.string({ required: true, description: 'Display name.' }),
    channel: t.field({ type: ChannelEnum, required: true, description: 'SMS, EMAIL or PUSH.' }),
    purpose: t.string({ required: true, description: 'The key of a defined purpose; BAD_USER_INPUT when the tenant has none with it.' }),
    message: t.field({ type: MessageInput, required: true, description: 'What each send says.' }),
    gift: t.field({ type: GiftInput, description: 'A gift for each recipient; null for none.' }),
    recipientIds: t.globalIDList({ for: RecipientRef, description: 'Explicit recipients; when null, every recipient of the tenant.' }),
    idempotencyKey: t.string({ description: 'Same key and same input within 24 hours returns the first campaign; other input is IDEMPOTENCY_CONFLICT.' }),
    scheduledAt: t.field({ type: 'DateTime', description: 'When to send; null for at once.' }),
  }),
});

builder.mutationField('createCampaign', (t) =>
  withCaller(t).prismaField({
    type: 'Campaign',
    description:
      'Creates a send per recipient; those without consent, restricted or objected are BLOCKED and counted in stats. TENANT_ADMIN and SENDER (else FORBIDDEN); BAD_USER_INPUT, NOT_FOUND (naming recipientIds.<n>), NO_CHANNEL_CONFIGURED and IDEMPOTENCY_CONFLICT name the cause.',
    args: { input: t.arg({ type: CreateCampaignInput, required: true, description: 'The campaign.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, SENDERS),
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createCampaign(ctx.app, ctx.principal, {
        ...input,
        tenantId: input.tenantId.id,
        recipientIds: input.recipientIds?.map((recipient) => recipient.id),
      });
      return ctx.app.prisma.campaign.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
