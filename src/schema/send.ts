// Sends, their events and gifts: createSend, cancelSend, Query.send, Tenant.sends,
// Recipient.sends and Campaign.sends. Lists load their relations through the Prisma plugin's
// selections, so a page of sends costs the same number of queries however many it holds.
import type { SendStatus } from '../db/generated/enums.ts';
import { giftValueFor, type GiftValueField } from '../sends/gift-codes.ts';
import { cancelSend, createSend } from '../sends/sends.ts';
import { ANY_ROLE, ownerOf, SENDERS, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { personalDataDeps } from './context.ts';
import { CampaignRef } from './campaign.ts';
import { ChannelEnum, GiftStatusEnum, SendStatusEnum } from './enums.ts';
import { GiftInput, MessageInput } from './message.ts';
import { RecipientRef } from './recipient.ts';
import { TenantRef } from './tenant.ts';

builder.prismaObject('SendEvent', {
  description: 'One status a send entered, with when and through which provider.',
  authScopes: tenantRow,
  fields: (t) => ({
    status: t.expose('status', { type: SendStatusEnum, description: 'The status entered.' }),
    at: t.expose('at', { type: 'DateTime', description: "When: our clock, or the provider's time for its reports." }),
    provider: t.exposeString('provider', { nullable: true, description: 'The plugin involved; null for QUEUED and refusals.' }),
    detail: t.exposeString('detail', { nullable: true, description: 'The attempt number of a SENDING event, or the reason of a retry, failover, BLOCKED or FAILED.' }),
  }),
});

builder.prismaObject('Gift', {
  description: 'A coupon issued with a send. Its code and url are bearer values: masked for VIEWER, every clear read audited.',
  authScopes: tenantRow,
  fields: (t) => {
    const caller = t.withAuth({ authenticated: true });
    // Bearer values: whoever holds them can redeem the gift. Masked for VIEWER, audited for the others.
    const sealed = (field: GiftValueField, column: 'codeEnc' | 'urlEnc', description: string) =>
      caller.string({
        nullable: true,
        description,
        select: { codeEnc: true, urlEnc: true, tenantId: true, sendId: true },
        resolve: (g, _a, ctx) => giftValueFor(personalDataDeps(ctx), ctx.principal, g, field, g[column]),
      });
    return {
      id: t.exposeID('id', { description: "The gift's id (not a global id: gifts are reached through Send.gift)." }),
      provider: t.exposeString('pluginId', { description: 'The COUPON plugin that issued it.' }),
      offerId: t.exposeString('offerId', { description: 'The offer it was issued for.' }),
      code: sealed('code', 'codeEnc', 'The code to redeem, when the provider gives one (masked for VIEWER).'),
      url: sealed('url', 'urlEnc', 'The link to redeem, when the provider gives one (masked for VIEWER).'),
      status: t.expose('status', { type: GiftStatusEnum, description: 'Issued, redeemed, expired or cancelled.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When it stops being redeemable; null for no limit.' }),
      redeemedAt: t.expose('redeemedAt', { type: 'DateTime', nullable: true, description: 'When it was redeemed; null until then.' }),
    };
  },
});

export const SendRef = builder.prismaNode('Send', {
  description: 'One message to one recipient on one channel, and its delivery status. Any member of the tenant may read it.',
  id: { field: 'id' },
  // Never the sealed message: what is not selected cannot leak.
  select: { id: true, tenantId: true },
  authScopes: tenantRow,
  fields: (t) => ({
    tenant: t.relation('tenant', { description: 'The tenant that sent it.' }),
    recipient: t.relation('recipient', { nullable: true, description: 'Null once the recipient has been erased.' }),
    channel: t.expose('channel', { type: ChannelEnum, description: 'The channel it goes out on.' }),
    purpose: t.exposeString('purposeKey', { description: 'The key of the purpose it is sent under.' }),
    status: t.expose('status', { type: SendStatusEnum, description: 'Where it is now.' }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: 'Why it is BLOCKED or FAILED, in words.' }),
    provider: t.exposeString('provider', { nullable: true, description: 'The plugin that handled it last.' }),
    providerMessageId: t.exposeString('providerMessageId', { nullable: true, description: "The provider's id for the message, for its support; null before it is accepted." }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true, description: 'The key createSend was given, if any.' }),
    campaign: t.relation('campaign', { nullable: true, description: 'The campaign it belongs to; null for a single send.' }),
    gift: t.relation('gift', { nullable: true, description: 'The gift it carries; null without one.' }),
    events: t.relation('events', {
      // Recorded order is the status machine's order; a provider's report may carry an earlier
      // time than our own record of handing the message over.
      // Gift events live in the same log (Subscription.sendStatusChanged) but are not statuses of the send.
      query: { where: { giftStatus: null }, orderBy: { id: 'asc' } },
      description: 'The statuses the send entered, in the order they were recorded; `at` of a provider report is the time the provider gives.',
    }),
    attempts: t.exposeInt('attempts', { description: 'Dispatch attempts so far, over every channel configuration.' }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true, description: 'When it is due to go out; null for at once.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

/** One connection type for every list of sends (tenant, recipient, campaign), with its count. */
const SendConnection = builder.connectionObject(
  {
    type: SendRef,
    name: 'SendConnection',
    description: 'A page of sends.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many sends match, over all pages.',
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
      description: "The tenant's sends, newest first. Any member of the tenant.",
      args: {
        status: t.arg({ type: SendStatusEnum, description: 'Only sends in this status; null for all.' }),
        campaignId: t.arg.globalID({ for: CampaignRef, description: 'Only the sends of this campaign; null for all.' }),
      },
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
    description: "The recipient's sends, newest first.",
    resolve: (query, recipient, _args, ctx) => ctx.app.prisma.send.findMany({ ...query, where: { recipientId: recipient.id }, orderBy: NEWEST_FIRST }),
    totalCount: (recipient, _args, ctx) => ctx.app.prisma.send.count({ where: { recipientId: recipient.id } }),
  }, SendConnection),
);

builder.prismaObjectField(CampaignRef, 'sends', (t) =>
  t.relatedConnection('sends', {
    cursor: 'id',
    description: "The campaign's sends, oldest first.",
    args: { status: t.arg({ type: SendStatusEnum, description: 'Only sends in this status; null for all.' }) },
    totalCount: true,
    query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { id: 'asc' } }),
  }, SendConnection),
);

builder.queryField('send', (t) =>
  t.prismaField({
    type: 'Send',
    nullable: true,
    description: 'A send by id, for any member of its tenant. NOT_FOUND for an id of no send; FORBIDDEN for another tenant.',
    args: { id: t.arg.globalID({ for: SendRef, required: true, description: "The send's global id." }) },
    authScopes: (_root, args) => ownerOf(args.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.send.findUnique({ ...query, where: { id: args.id.id } }),
  }),
);

const CreateSendInput = builder.inputType('CreateSendInput', {
  description: 'One message to one recipient.',
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true, description: 'Who receives it.' }),
    channel: t.field({ type: ChannelEnum, required: true, description: 'SMS, EMAIL or PUSH; the recipient needs the matching address (else BAD_USER_INPUT).' }),
    purpose: t.string({ required: true, description: 'The key of a defined purpose; its legal basis decides whether consent is needed.' }),
    message: t.field({ type: MessageInput, required: true, description: 'What it says.' }),
    gift: t.field({ type: GiftInput, description: 'A gift to issue and fill into the message; null for none.' }),
    idempotencyKey: t.string({
      description: 'Same key and same input within 24 hours returns the first send; same key with other input is IDEMPOTENCY_CONFLICT.',
    }),
    scheduledAt: t.field({ type: 'DateTime', description: 'When to send it; null for at once.' }),
  }),
});

builder.mutationFields((t) => ({
  createSend: withCaller(t).prismaField({
    type: 'Send',
    description:
      'Queues a send and answers at once (QUEUED). TENANT_ADMIN and SENDER (else FORBIDDEN). Refused, and audited, with CONSENT_REQUIRED, PROCESSING_RESTRICTED or RECIPIENT_OBJECTED; NO_CHANNEL_CONFIGURED, IDEMPOTENCY_CONFLICT, BAD_USER_INPUT and NOT_FOUND name the cause.',
    args: { input: t.arg({ type: CreateSendInput, required: true, description: 'The send.' }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, SENDERS),
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createSend(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  cancelSend: withCaller(t).prismaField({
    type: 'Send',
    description:
      'A QUEUED (or scheduled) send becomes CANCELED. TENANT_ADMIN and SENDER (else FORBIDDEN); BAD_USER_INPUT when it is already with a provider, NOT_FOUND for an unknown id.',
    args: { id: t.arg.globalID({ for: SendRef, required: true, description: 'The send to cancel.' }) },
    authScopes: (_root, args) => ownerOf(args.id, SENDERS),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await cancelSend(ctx.app, ctx.principal, { id: args.id.id });
      return ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
