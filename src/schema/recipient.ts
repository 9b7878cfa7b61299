import { recordConsent, withdrawConsent } from '../recipients/consents.ts';
import { personalView } from '../recipients/personal-view.ts';
import { MAX_BULK_RECIPIENTS, searchWhere, upsertRecipient, upsertRecipients } from '../recipients/recipients.ts';
import { ANY_ROLE, inTenant, ownerOf, RECIPIENT_MANAGERS, tenantRow, type CallerContext } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { personalDataDeps } from './context.ts';
import { ChannelEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

builder.prismaObject('Consent', {
  description: "A recipient's consent (or its withdrawal) for one channel and one purpose, with its proof.",
  authScopes: tenantRow,
  fields: (t) => ({
    id: t.exposeID('id', { description: "The consent's id (not a global id: consents are reached through Recipient.consents)." }),
    channel: t.expose('channel', { type: ChannelEnum, description: 'The channel it covers.' }),
    purpose: t.exposeString('purposeKey', { description: 'The key of the purpose it covers.' }),
    granted: t.exposeBoolean('granted', { description: 'True while granted; false once withdrawn.' }),
    source: t.exposeString('source', { description: "Where the consent was collected, e.g. 'signup-form-v3'." }),
    proof: t.exposeString('proof', { nullable: true, description: 'The text or version the recipient agreed to.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was granted.' }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true, description: 'When it was withdrawn; null while granted.' }),
  }),
});

type RecipientRow = Parameters<typeof personalView>[2];
const view = (row: RecipientRow, ctx: CallerContext) => personalView(personalDataDeps(ctx), ctx.principal, row, ctx.personalViews);

export const RecipientRef = builder.prismaNode('Recipient', {
  description: "A person a tenant sends to. Any member of the tenant may read it; VIEWER sees personal fields masked, and every clear read is audited ('recipient.read').",
  id: { field: 'id' },
  // Personal fields are masked for VIEWER by personalView.
  authScopes: tenantRow,
  fields: (t) => {
    const personal = t.withAuth({ authenticated: true });
    return {
      tenant: t.relation('tenant', { description: 'The tenant it belongs to.' }),
      externalId: personal.string({ nullable: true, description: "The tenant's own id for the recipient (masked for VIEWER).", resolve: async (r, _a, ctx) => (await view(r, ctx))('externalId') }),
      name: personal.string({ nullable: true, description: 'The name {{name}} fills in (masked for VIEWER).', resolve: async (r, _a, ctx) => (await view(r, ctx))('name') }),
      phone: personal.string({ nullable: true, description: 'E.164, e.g. +46701234567 (masked for VIEWER).', resolve: async (r, _a, ctx) => (await view(r, ctx))('phone') }),
      email: personal.string({ nullable: true, description: 'E-mail address (masked for VIEWER).', resolve: async (r, _a, ctx) => (await view(r, ctx))('email') }),
      locale: t.exposeString('locale', { nullable: true, description: "BCP 47 language tag, e.g. 'sv-SE'; null when unknown." }),
      consents: t.relation('consents', { query: { orderBy: [{ channel: 'asc' }, { purposeKey: 'asc' }] }, description: 'Every consent recorded, granted or withdrawn, by channel and purpose.' }),
      restricted: t.exposeBoolean('restricted', { description: 'Processing restricted (GDPR Art. 18): nothing is sent.' }),
      objected: t.exposeBoolean('objected', { description: 'The recipient objected (GDPR Art. 21): nothing is sent on LEGITIMATE_INTEREST purposes.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was first upserted.' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    };
  },
});

builder.prismaObjectField(TenantRef, 'recipients', (t) =>
  t.prismaConnection(
    {
      type: 'Recipient',
      cursor: 'id',
      description: "The tenant's recipients, oldest first. Any member of the tenant.",
      args: { search: t.arg.string({ description: 'An exact phone number or e-mail address; null lists all.' }) },
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
    {
      name: 'RecipientConnection',
      description: 'A page of recipients.',
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many recipients match, over all pages.',
          extensions: { pothosPrismaTotalCount: true },
          // The prisma plugin hands the connection a counting function.
          resolve: (connection) => (connection as unknown as { totalCount: () => number | Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'RecipientEdge' },
  ),
);

builder.queryField('recipient', (t) =>
  t.prismaField({
    type: 'Recipient',
    nullable: true,
    description: 'A recipient by id, for any member of its tenant. NOT_FOUND for an id of no recipient; FORBIDDEN for another tenant.',
    args: { id: t.arg.globalID({ for: RecipientRef, required: true, description: "The recipient's global id." }) },
    authScopes: (_root, args) => ownerOf(args.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.recipient.findUnique({ ...query, where: { id: args.id.id } }),
  }),
);

const recipientFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<{}>, 'InputObject'>) => ({
  externalId: t.string({ required: true, description: "The tenant's own id for the recipient; upserts match on it." }),
  name: t.string({ description: 'The name {{name}} fills in.' }),
  phone: t.string({ description: "E.164, or national in the tenant's default country; BAD_USER_INPUT when it is no phone number." }),
  email: t.string({ description: 'E-mail address; BAD_USER_INPUT when invalid.' }),
  locale: t.string({ description: "BCP 47 language tag, e.g. 'sv-SE'." }),
  pushTokens: t.stringList({ description: "The recipient's device tokens for PUSH." }),
});

const UpsertRecipientInput = builder.inputType('UpsertRecipientInput', {
  description: 'A recipient to create, or to update when the tenant already has its externalId.',
  fields: (t) => ({ tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant it belongs to.' }), ...recipientFields(t as never) }),
});

const RecipientItemInput = builder.inputType('RecipientItemInput', {
  description: 'One recipient of a bulk upsert, matched on externalId.',
  fields: (t) => recipientFields(t as never),
});

const UpsertRecipientsInput = builder.inputType('UpsertRecipientsInput', {
  description: 'Recipients to create or update in one go.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant they belong to.' }),
    recipients: t.field({ type: [RecipientItemInput], required: true, description: `At most ${MAX_BULK_RECIPIENTS} (more is BAD_USER_INPUT), each externalId once; all or nothing.` }),
  }),
});

const UpsertRecipientsPayload = builder.objectRef<{ created: number; updated: number }>('UpsertRecipientsPayload').implement({
  description: 'What a bulk upsert did.',
  // Reached only through upsertRecipients.
  authScopes: { authenticated: true },
  fields: (t) => ({
    created: t.exposeInt('created', { description: 'Recipients that were new.' }),
    updated: t.exposeInt('updated', { description: 'Recipients that existed and were updated.' }),
  }),
});

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  description: "A recipient's consent to record.",
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true, description: 'Who consented.' }),
    channel: t.field({ type: ChannelEnum, required: true, description: 'The channel consented to.' }),
    purpose: t.string({ required: true, description: 'The key of a defined purpose; BAD_USER_INPUT when the tenant has none with it.' }),
    source: t.string({ required: true, description: "Where the consent was collected, e.g. 'signup-form-v3'." }),
    proof: t.string({ description: 'The text or version the recipient agreed to.' }),
  }),
});

const WithdrawConsentInput = builder.inputType('WithdrawConsentInput', {
  description: 'A consent to withdraw.',
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true, description: 'Who withdraws.' }),
    channel: t.field({ type: ChannelEnum, required: true, description: 'The channel of the consent.' }),
    purpose: t.string({ required: true, description: 'The purpose key of the consent.' }),
  }),
});

builder.mutationFields((t) => ({
  upsertRecipient: withCaller(t).prismaField({
    type: 'Recipient',
    description: 'Creates a recipient, or updates the one with this externalId. TENANT_ADMIN and SENDER (else FORBIDDEN); BAD_USER_INPUT names an invalid field.',
    args: { input: t.arg({ type: UpsertRecipientInput, required: true, description: 'The recipient.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, RECIPIENT_MANAGERS),
    resolve: async (query, _root, { input }, ctx) => {
      const { tenantId, ...fields } = input;
      const recipient = await upsertRecipient(ctx.app, ctx.principal, { tenantId: tenantId.id, ...fields });
      return ctx.app.prisma.recipient.findUniqueOrThrow({ ...query, where: { id: recipient.id } });
    },
  }),
  upsertRecipients: withCaller(t).field({
    type: UpsertRecipientsPayload,
    description:
      'Bulk import: validates every item first, then writes them all in one transaction. TENANT_ADMIN and SENDER (else FORBIDDEN); BAD_USER_INPUT names the item and field at fault.',
    args: { input: t.arg({ type: UpsertRecipientsInput, required: true, description: 'The recipients.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, RECIPIENT_MANAGERS),
    resolve: (_root, { input }, ctx) => upsertRecipients(ctx.app, ctx.principal, { tenantId: input.tenantId.id, recipients: input.recipients }),
  }),
  recordConsent: withCaller(t).prismaField({
    type: 'Consent',
    description: 'Records a granted consent. TENANT_ADMIN and SENDER (else FORBIDDEN); NOT_FOUND for an unknown recipient, BAD_USER_INPUT for an unknown purpose.',
    args: { input: t.arg({ type: RecordConsentInput, required: true, description: 'The consent.' }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, RECIPIENT_MANAGERS),
    resolve: (_query, _root, { input }, ctx) => recordConsent(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id }),
  }),
  withdrawConsent: withCaller(t).prismaField({
    type: 'Consent',
    description: 'Withdraws a consent; later sends needing it are CONSENT_REQUIRED. TENANT_ADMIN and SENDER (else FORBIDDEN); NOT_FOUND when no such consent was recorded.',
    args: { input: t.arg({ type: WithdrawConsentInput, required: true, description: 'The consent to withdraw.' }) },
    authScopes: (_root, { input }) => ownerOf(input.recipientId, RECIPIENT_MANAGERS),
    resolve: (_query, _root, { input }, ctx) => withdrawConsent(ctx.app, ctx.principal, { ...input, recipientId: input.recipientId.id }),
  }),
}));
