import { definePurpose } from '../tenants/tenants.ts';
import { ADMIN, inTenant, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { LegalBasisEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

export const PurposeRef = builder.prismaObject('Purpose', {
  description: 'Why the tenant processes personal data when it sends, and on which legal basis.',
  authScopes: tenantRow,
  fields: (t) => ({
    key: t.exposeString('key', { description: "The name sends and consents use for it, e.g. 'offers'; unique in the tenant." }),
    description: t.exposeString('description', { nullable: true, description: 'What the tenant does under this purpose, in words.' }),
    legalBasis: t.expose('legalBasis', { type: LegalBasisEnum, description: 'The GDPR basis; CONSENT purposes need a consent per recipient and channel.' }),
  }),
});

const DefinePurposeInput = builder.inputType('DefinePurposeInput', {
  description: 'A purpose to create, or to update when its key exists.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant it belongs to.' }),
    key: t.string({ required: true, description: "The purpose's name, e.g. 'offers'; an existing key is updated." }),
    description: t.string({ description: 'What the tenant does under this purpose, in words.' }),
    legalBasis: t.field({ type: LegalBasisEnum, required: true, description: 'The GDPR basis it relies on.' }),
  }),
});

builder.mutationField('definePurpose', (t) =>
  withCaller(t).prismaField({
    type: 'Purpose',
    description: 'Creates or updates a purpose of the tenant. TENANT_ADMIN only (else FORBIDDEN); BAD_USER_INPUT names an invalid field.',
    args: { input: t.arg({ type: DefinePurposeInput, required: true, description: 'The purpose.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: (_query, _root, { input }, ctx) => definePurpose(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId.id }),
  }),
);
