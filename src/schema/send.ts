// Sends, their events and gifts: createSend, cancelSend, Query.send, Tenant.sends and
// Recipient.sends. Lists load their relations through the Prisma plugin's selections, so a
// page of sends costs the same number of queries however many it holds.
import { decryptField } from '../privacy/tenant-keys.ts';
import { requireGlobalId } from '../ids.ts';
import { cancelSend, createSend } from '../sends/sends.ts';
import { builder } from './builder.ts';
import { ChannelEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

export const SendStatusEnum = builder.enumType('SendStatus', {
  values: {
    QUEUED: { description: 'Accepted and waiting for a worker.' },
    SENDING: { description: 'Handed to a provider plugin; no answer yet.' },
    SENT: { description: 'The provider accepted it.' },
    DELIVERED: { description: "The provider reported delivery to the recipient's device or inbox." },
    FAILED: { description: 'Delivery failed for good (after retries and failover).' },
    CANCELED: { description: 'Cancelled before it was handed to a provider.' },
    BLOCKED: { description: 'Refused before dispatch: no consent, restricted or objected processing.' },
  } as const,
});

export const GiftStatusEnum = builder.enumType('GiftStatus', { values: ['ISSUED', 'REDEEMED', 'EXPIRED', 'CANCELED'] as const });

builder.prismaObject('SendEvent', {
  fields: (t) => ({
    status: t.expose('status', { type: SendStatusEnum }),
    at: t.expose('at', { type: 'DateTime' }),
    provider: t.exposeString('provider', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

builder.prismaObject('Gift', {
  fields: (t) => ({
    id: t.exposeID('id'),
    provider: t.exposeString('pluginId'),
    offerId: t.exposeString('offerId'),
    // The code and link are bearer values: sealed at rest, opened for the tenant's own readers.
    code: t.string({
      nullable: true,
      select: { codeEnc: true, tenantId: true, sendId: true },
      resolve: async (g, _a, ctx) => (g.codeEnc ? decryptField(await ctx.app.tenantKeys.get(g.tenantId), g.codeEnc, `Gift:${g.sendId}:code`) : null),
    }),
    url: t.string({
      nullable: true,
      select: { urlEnc: true, tenantId: true, sendId: true },
      resolve: async (g, _a, ctx) => (g.urlEnc ? decryptField(await ctx.app.tenantKeys.get(g.tenantId), g.urlEnc, `Gift:${g.sendId}:url`) : null),
    }),
    status: t.expose('status', { type: GiftStatusEnum }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    redeemedAt: t.expose('redeemedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const SendRef = builder.prismaNode('Send', {
  id: { field: 'id' },
  // Never the sealed message: what is not selected cannot leak.
  select: { id: true, tenantId: true },
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
      query: { orderBy: { id: 'asc' } },
      description: 'The statuses the send entered, in the order they were recorded; `at` of a provider report is the time the provider gives.',
    }),
    attempts: t.exposeInt('attempts', { description: 'Dispatch attempts so far, over every channel configuration.' }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** One connection type for every list of sends (tenant, recipient, campaign), with its count. */
export const SendConnection = builder.connectionObject(
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
      args: { status: t.arg({ type: SendStatusEnum }), campaignId: t.arg.id() },
      resolve: (query, tenant, args, ctx) =>
        ctx.app.prisma.send.findMany({ ...query, where: tenantSendsWhere(tenant.id, args), orderBy: NEWEST_FIRST }),
      totalCount: (tenant, args, ctx) => ctx.app.prisma.send.count({ where: tenantSendsWhere(tenant.id, args) }),
    },
    SendConnection,
  ),
);

function tenantSendsWhere(tenantId: string, args: { status?: string | null; campaignId?: string | number | null }) {
  return {
    tenantId,
    ...(args.status ? { status: args.status as 'QUEUED' } : {}),
    ...(args.campaignId != null ? { campaignId: requireGlobalId(String(args.campaignId), 'Campaign') } : {}),
  };
}

builder.prismaObjectField('Recipient', 'sends', (t) =>
  t.prismaConnection({
    type: 'Send',
    cursor: 'id',
    resolve: (query, recipient, _args, ctx) => ctx.app.prisma.send.findMany({ ...query, where: { recipientId: recipient.id }, orderBy: NEWEST_FIRST }),
    totalCount: (recipient, _args, ctx) => ctx.app.prisma.send.count({ where: { recipientId: recipient.id } }),
  }, SendConnection),
);

builder.queryField('send', (t) =>
  t.prismaField({
    type: 'Send',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.app.prisma.send.findUnique({ ...query, where: { id: requireGlobalId(String(args.id), 'Send') } }),
  }),
);

export const MessageInput = builder.inputType('MessageInput', {
  fields: (t) => ({
    subject: t.string({ description: 'Email subject or push title.' }),
    body: t.string({ required: true, description: 'The text; {{name}} and {{gift.url}}, {{gift.code}} are filled in.' }),
  }),
});

export const GiftInput = builder.inputType('GiftInput', {
  fields: (t) => ({
    pluginId: t.string({ description: "A COUPON plugin id; null picks the tenant's configured COUPON channel." }),
    offerId: t.string({ required: true }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
});

const CreateSendInput = builder.inputType('CreateSendInput', {
  fields: (t) => ({
    recipientId: t.id({ required: true }),
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
  createSend: t.prismaField({
    type: 'Send',
    args: { input: t.arg({ type: CreateSendInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createSend(ctx.app, ctx.principal!, { ...input, recipientId: requireGlobalId(String(input.recipientId), 'Recipient') });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  cancelSend: t.prismaField({
    type: 'Send',
    description: 'A QUEUED (or scheduled) send becomes CANCELED; one already with a provider cannot be cancelled.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { id } = await cancelSend(ctx.app, ctx.principal!, { id: requireGlobalId(String(args.id), 'Send') });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
