// Sends, their events and gifts: createSend, cancelSend, Query.send, Tenant.sends,
// Recipient.sends and Campaign.sends. Lists load their relations through the Prisma plugin's
// selections, so a page of sends costs the same number of queries however many it holds.
import type { SendStatus } from '../db/generated/enums.ts';
import { giftValueFor, type GiftValueField } from '../sends/gift-codes.ts';
import { cancelSend, createSend } from '../sends/sends.ts';
import { ANY_ROLE, ownerOf, SENDERS, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { CampaignRef } from './campaign.ts';
import { ChannelEnum, GiftStatusEnum, SendStatusEnum } from './enums.ts';
import { GiftInput, MessageInput } from './message.ts';
import { RecipientRef } from './recipient.ts';
import { TenantRef } from './tenant.ts';

builder.prismaObject('SendEvent', {
  authScopes: tenantRow,
  fields: (t) => ({
    status: t.expose('status', { type: SendStatusEnum }),
    at: t.expose('at', { type: 'DateTime' }),
    provider: t.exposeString('provider', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

builder.prismaObject('Gift', {
  authScopes: tenantRow,
  fields: (t) => {
    const caller = t.withAuth({ authenticated: true });
    // Bearer values: whoever holds them can redeem the gift. Masked for VIEWER, audited for the others.
    const sealed = (field: GiftValueField, column: 'codeEnc' | 'urlEnc') =>
      caller.string({
        nullable: true,
        select: { codeEnc: true, urlEnc: true, tenantId: true, sendId: true },
        resolve: (g, _a, ctx) => giftValueFor(ctx.app, ctx.principal, g, field, g[column]),
      });
    return {
      id: t.exposeID('id'),
      provider: t.exposeString('pluginId'),
      offerId: t.exposeString('offerId'),
      code: sealed('code', 'codeEnc'),
      url: sealed('url', 'urlEnc'),
      status: t.expose('status', { type: GiftStatusEnum }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
      redeemedAt: t.expose('redeemedAt', { type: 'DateTime', nullable: true }),
    };
  },
});

export const SendRef = builder.prismaNode('Send', {
  id: { field: 'id' },
  // Never the sealed message: what is not selected cannot leak.
  select: { id: true, tenantId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    tenant: t.relation('tenant'),
    recipient: t.relation('recipient', { nullable: true, description: 'Null once the recipient has been erased.' }),
    channel: t.expose('channel', { type: ChannelEnum }),
    purpose: t.exposeString('purposeKey'),
    status: t.expose('status', { type: SendStatusEnum }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: 'Why it is BLOCKED or FAILED, in words.' }),
    provider: t.exposeString('provider', { nullable: true, description: 'The plugin that handled it last.' }),
    providerMessageId: t.exposeString('providerMessageId', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    campaign: t.relation('campaign', { nullable: true }),
    gift: t.relation('gift', { nullable: true }),
    events: t.relation('events', {
      // Recorded order is the status machine's order; a provider's report may carry an earlier
      // time than our own record of handing the message over.
      // Gift events live in the same log (Subscription.sendStatusChanged) but are not statuses of the send.
      query: { where: { giftStatus: null }, orderBy: { id: 'asc' } },
      description: 'The statuses the send entered, in the order they were recorded; `at` of a provider report is the time the provider gives.',
    }),
    attempts: t.exposeInt('attempts', { description: 'Dispatch attempts so far, over every channel configuration.' }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** One connection type for every list of sends (tenant, recipient, campaign), with its count. */
const SendConnection = builder.connectionObject(
  {
    type: SendRef,
    name: 'SendConnection',
    fields: (t) => ({
      totalCount: t.int({
        extensions: { pothosPrismaTotalCount: true },
        // prismaConnection hands a counting function, relatedConnection the counted number.
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'SendEdge' },
);

/** Newest first: the sends someone is looking for are usually the latest. */
const NEWEST_FIRST = { id: 'desc' } as const;

builder.prismaObjectField(TenantRef, 'sends', (t) =>
  t.prismaConnection(
    {
      type: 'Send',
      cursor: 'id',
      args: { status: t.arg({ type: SendStatusEnum }), campaignId: t.arg.globalID({ for: CampaignRef }) },
      resolve: (query, tenant, args, ctx) =>
        ctx.app.prisma.send.findMany({ ...query, where: tenantSendsWhere(tenant.id, args), orderBy: NEWEST_FIRST }),
      totalCount: (tenant, args, ctx) => ctx.app.prisma.send.count({ where: tenantSendsWhere(tenant.id, args) }),
    },
    SendConnection,
  ),
);

function tenantSendsWhere(tenantId: string, args: { status?: SendStatus | null; campaignId?: { id: string } | null }) {
  return {
    tenantId,
    ...(args.status ? { status: args.status } : {}),
    ...(args.campaignId ? { campaignId: args.campaignId.id } : {}),
  };
}

builder.prismaObjectField(RecipientRef, 'sends', (t) =>
  t.prismaConnection({
    type: 'Send',
    cursor: 'id',
    resolve: (query, recipient, _args, ctx) => ctx.app.prisma.send.findMany({ ...query, where: { recipientId: recipient.id }, orderBy: NEWEST_FIRST }),
    totalCount: (recipient, _args, ctx) => ctx.app.prisma.send.count({ where: { recipientId: recipient.id } }),
  }, SendConnection),
);

builder.prismaObjectField(CampaignRef, 'sends', (t) =>
  t.relatedConnection('sends', {
    cursor: 'id',
    args: { status: t.arg({ type: SendStatusEnum }) },
    totalCount: true,
    query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { id: 'asc' } }),
  }, SendConnection),
);

builder.queryField('send', (t) =>
  t.prismaField({
    type: 'Send',
    nullable: true,
    args: { id: t.arg.globalID({ for: SendRef, required: true }) },
    authScopes: (_root, args) => ownerOf(args.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.send.findUnique({ ...query, where: { id: args.id.id } }),
  }),
);

const CreateSendInput = builder.inputType('CreateSendInput', {
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    purpose: t.string({ required: true }),
    message: t.field({ type: MessageInput, required: true }),
    gift: t.field({ type: GiftInput }),
    idempotencyKey: t.string({
      description: 'Same key and same input within 24 hours returns the first send; same key with other input is IDEMPOTENCY_CONFLICT.',
    }),
    scheduledAt: t.field({ type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  createSend: withCaller(t).prismaField({
    type: 'Send',
    args: { input: t.arg({ type: CreateSendInput, required: true }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, SENDERS),
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createSend(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  cancelSend: withCaller(t).prismaField({
    type: 'Send',
    description: 'A QUEUED (or scheduled) send becomes CANCELED; one already with a provider cannot be cancelled.',
    args: { id: t.arg.globalID({ for: SendRef, required: true }) },
    authScopes: (_root, args) => ownerOf(args.id, SENDERS),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await cancelSend(ctx.app, ctx.principal, { id: args.id.id });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
