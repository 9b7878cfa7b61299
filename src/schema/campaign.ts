// Campaigns: createCampaign, Campaign (with stats and its sends) and Tenant.campaigns.
import { AppError } from '../errors.ts';
import { decodeGlobalId, requireGlobalId } from '../ids.ts';
import { createCampaign } from '../sends/campaigns.ts';
import type { CampaignStats } from '../sends/campaign-stats.ts';
import { builder } from './builder.ts';
import { ChannelEnum } from './enums.ts';
import { GiftInput, MessageInput, SendConnection, SendStatusEnum } from './send.ts';
import { TenantRef } from './tenant.ts';

const CampaignStatsRef = builder.objectRef<CampaignStats>('CampaignStats').implement({
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

builder.prismaNode('Campaign', {
  id: { field: 'id' },
  select: { id: true, tenantId: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    channel: t.expose('channel', { type: ChannelEnum }),
    purpose: t.exposeString('purposeKey'),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    stats: t.field({ type: CampaignStatsRef, resolve: (campaign, _a, ctx) => ctx.campaignStats.load(campaign.id) }),
    sends: t.relatedConnection('sends', {
      cursor: 'id',
      args: { status: t.arg({ type: SendStatusEnum }) },
      totalCount: true,
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { id: 'asc' } }),
    }, SendConnection),
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
    tenantId: t.id({ required: true }),
    name: t.string({ required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    purpose: t.string({ required: true }),
    message: t.field({ type: MessageInput, required: true }),
    gift: t.field({ type: GiftInput }),
    recipientIds: t.idList({ description: "Explicit recipients; when null, every recipient of the tenant." }),
    idempotencyKey: t.string(),
    scheduledAt: t.field({ type: 'DateTime' }),
  }),
});

builder.mutationField('createCampaign', (t) =>
  t.prismaField({
    type: 'Campaign',
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createCampaign(ctx.app, ctx.principal!, {
        ...input,
        tenantId: requireGlobalId(String(input.tenantId), 'Tenant'),
        recipientIds: input.recipientIds?.map((rid, i) => requireIndexedId(String(rid), i)),
      });
      return ctx.app.prisma.campaign.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

/** An id that is not a Recipient's is reported by its position. */
function requireIndexedId(globalId: string, index: number): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded?.typename !== 'Recipient') throw new AppError('NOT_FOUND', `recipientIds.${index}: Recipient not found`, { field: `recipientIds.${index}` });
  return decoded.id;
}
