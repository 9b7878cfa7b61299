import { recordConsent, withdrawConsent } from '../recipients/consents.ts';
import { personalView } from '../recipients/personal-view.ts';
import { MAX_BULK_RECIPIENTS, searchWhere, upsertRecipient, upsertRecipients } from '../recipients/recipients.ts';
import { ANY_ROLE, inTenant, ownerOf, RECIPIENT_MANAGERS, tenantRow, type CallerContext } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { ChannelEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

builder.prismaObject('Consent', {
  authScopes: tenantRow,
  fields: (t) => ({
    id: t.exposeID('id'),
    channel: t.expose('channel', { type: ChannelEnum }),
    purpose: t.exposeString('purposeKey'),
    granted: t.exposeBoolean('granted'),
    source: t.exposeString('source', { description: "Where the consent was collected, e.g. 'signup-form-v3'." }),
    proof: t.exposeString('proof', { nullable: true, description: 'The text or version the recipient agreed to.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true }),
  }),
});

type RecipientRow = Parameters<typeof personalView>[2];
const view = (row: RecipientRow, ctx: CallerContext) => personalView(ctx.app, ctx.principal, row, ctx.personalViews);

export const RecipientRef = builder.prismaNode('Recipient', {
  id: { field: 'id' },
  // Personal fields are masked for VIEWER by personalView.
  authScopes: tenantRow,
  fields: (t) => {
    const personal = t.withAuth({ authenticated: true });
    return {
      tenant: t.relation('tenant'),
      externalId: personal.string({ nullable: true, resolve: async (r, _a, ctx) => (await view(r, ctx)).externalId }),
      name: personal.string({ nullable: true, resolve: async (r, _a, ctx) => (await view(r, ctx)).name }),
      phone: personal.string({ nullable: true, description: 'E.164, e.g. +46701234567.', resolve: async (r, _a, ctx) => (await view(r, ctx)).phone }),
      email: personal.string({ nullable: true, resolve: async (r, _a, ctx) => (await view(r, ctx)).email }),
      locale: t.exposeString('locale', { nullable: true }),
      consents: t.relation('consents', { query: { orderBy: [{ channel: 'asc' }, { purposeKey: 'asc' }] } }),
      restricted: t.exposeBoolean('restricted', { description: 'Processing restricted (GDPR Art. 18): nothing is sent.' }),
      objected: t.exposeBoolean('objected', { description: 'The recipient objected (GDPR Art. 21): nothing is sent on LEGITIMATE_INTEREST purposes.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    };
  },
});

builder.prismaObjectField(TenantRef, 'recipients', (t) =>
  t.prismaConnection(
    {
      type: 'Recipient',
      cursor: 'id',
      args: { search: t.arg.string({ description: 'An exact phone number or e-mail address.' }) },
      resolve: async (query, tenant, args, ctx) => {
        const where = args.search ? await searchWhere(ctx.app, tenant.id, args.search) : {};
        if (!where) return [];
        return ctx.app.prisma.recipient.findMany({ ...query, where: { tenantId: tenant.id, ...where }, orderBy: { id: 'asc' } });
      },
      totalCount: async (tenant, args, ctx) => {
        const where = args.search ? await searchWhere(ctx.app, tenant.id, args.search) : {};
        return where ? ctx.app.prisma.recipient.count({ where: { tenantId: tenant.id, ...where } }) : 0;
      },
    },
    { name: 'RecipientConnection' },
    { name: 'RecipientEdge' },
  ),
);

builder.queryField('recipient', (t) =>
  t.prismaField({
    type: 'Recipient',
    nullable: true,
    args: { id: t.arg.globalID({ for: RecipientRef, required: true }) },
    authScopes: (_root, args) => ownerOf(args.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.recipient.findUnique({ ...query, where: { id: args.id.id } }),
  }),
);

const recipientFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<{}>, 'InputObject'>) => ({
  externalId: t.string({ required: true, description: "The tenant's own id for the recipient; upserts match on it." }),
  name: t.string(),
  phone: t.string(),
  email: t.string(),
  locale: t.string(),
  pushTokens: t.stringList(),
});

const UpsertRecipientInput = builder.inputType('UpsertRecipientInput', {
  fields: (t) => ({ tenantId: t.globalID({ for: TenantRef, required: true }), ...recipientFields(t as never) }),
});

const RecipientItemInput = builder.inputType('RecipientItemInput', { fields: (t) => recipientFields(t as never) });

const UpsertRecipientsInput = builder.inputType('UpsertRecipientsInput', {
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true }),
    recipients: t.field({ type: [RecipientItemInput], required: true, description: `At most ${MAX_BULK_RECIPIENTS}; all or nothing.` }),
  }),
});

const UpsertRecipientsPayload = builder.objectRef<{ created: number; updated: number }>('UpsertRecipientsPayload').implement({
  // Reached only through upsertRecipients.
  authScopes: { authenticated: true },
  fields: (t) => ({ created: t.exposeInt('created'), updated: t.exposeInt('updated') }),
});

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    purpose: t.string({ required: true }),
    source: t.string({ required: true, description: "Where the consent was collected, e.g. 'signup-form-v3'." }),
    proof: t.string({ description: 'The text or version the recipient agreed to.' }),
  }),
});

const WithdrawConsentInput = builder.inputType('WithdrawConsentInput', {
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    purpose: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  upsertRecipient: withCaller(t).prismaField({
    type: 'Recipient',
    args: { input: t.arg({ type: UpsertRecipientInput, required: true }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, RECIPIENT_MANAGERS),
    resolve: async (query, _root, { input }, ctx) => {
      const { tenantId, ...fields } = input;
      const recipient = await upsertRecipient(ctx.app, ctx.principal, { tenantId: tenantId.id, ...fields });
      return ctx.app.prisma.recipient.findUniqueOrThrow({ ...query, where: { id: recipient.id } });
    },
  }),
  upsertRecipients: withCaller(t).field({
    type: UpsertRecipientsPayload,
    description: 'Bulk import: validates every item first, then writes them all in one transaction.',
    args: { input: t.arg({ type: UpsertRecipientsInput, required: true }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, RECIPIENT_MANAGERS),
    resolve: (_root, { input }, ctx) => upsertRecipients(ctx.app, ctx.principal, { tenantId: input.tenantId.id, recipients: input.recipients }),
  }),
  recordConsent: withCaller(t).prismaField({
    type: 'Consent',
    args: { input: t.arg({ type: RecordConsentInput, required: true }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, RECIPIENT_MANAGERS),
    resolve: (_query, _root, { input }, ctx) => recordConsent(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id }),
  }),
  withdrawConsent: withCaller(t).prismaField({
    type: 'Consent',
    args: { input: t.arg({ type: WithdrawConsentInput, required: true }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, RECIPIENT_MANAGERS),
    resolve: (_query, _root, { input }, ctx) => withdrawConsent(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id }),
  }),
}));
