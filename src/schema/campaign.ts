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
  // Reached only through Campaign.stats.
  authScopes: { authenticated: true },
  fields: (t) => ({
    total: t.exposeInt('total'),
    queued: t.exposeInt('queued', { description: 'Waiting for dispatch or being handed to a provider.' }),
    sent: t.exposeInt('sent'),
    delivered: t.exposeInt('delivered'),
    failed: t.exposeInt('failed'),
    blocked: t.exposeInt('blocked'),
    canceled: t.exposeInt('canceled'),
    giftsRedeemed: t.exposeInt('giftsRedeemed'),
  }),
});

export const CampaignRef = builder.prismaNode('Campaign', {
  id: { field: 'id' },
  select: { id: true, tenantId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    name: t.exposeString('name'),
    channel: t.expose('channel', { type: ChannelEnum }),
    purpose: t.exposeString('purposeKey'),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    stats: t.field({ type: CampaignStatsRef, resolve: (campaign, _a, ctx) => ctx.campaignStats.load(campaign.id) }),
  }),
});

builder.prismaObjectField(TenantRef, 'campaigns', (t) =>
  t.prismaConnection(
    {
      type: 'Campaign',
      cursor: 'id',
      resolve: (query, tenant, _args, ctx) => ctx.app.prisma.campaign.findMany({ ...query, where: { tenantId: tenant.id }, orderBy: { id: 'desc' } }),
    },
    { name: 'CampaignConnection' },
    { name: 'CampaignEdge' },
  ),
);

const CreateCampaignInput = builder.inputType('CreateCampaignInput', {
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true }),
    name: t.string({ required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    purpose: t.string({ required: true }),
    message: t.field({ type: MessageInput, required: true }),
    gift: t.field({ type: GiftInput }),
    recipientIds: t.globalIDList({ for: RecipientRef, description: 'Explicit recipients; when null, every recipient of the tenant.' }),
    idempotencyKey: t.string(),
    scheduledAt: t.field({ type: 'DateTime' }),
  }),
});

builder.mutationField('createCampaign', (t) =>
  withCaller(t).prismaField({
    type: 'Campaign',
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
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
