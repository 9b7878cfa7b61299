import { definePurpose } from '../tenants/tenants.ts';
import { ADMIN, inTenant, tenantRow } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { LegalBasisEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

export const PurposeRef = builder.prismaObject('Purpose', {
  description: 'Why the tenant processes personal data when it sends, and on which legal basis.',
  authScopes: tenantRow,
  fields: (t) => ({
    key: t.exposeString('key'),
    description: t.exposeString('description', { nullable: true }),
    legalBasis: t.expose('legalBasis', { type: LegalBasisEnum }),
  }),
});

const DefinePurposeInput = builder.inputType('DefinePurposeInput', {
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true }),
    key: t.string({ required: true }),
    description: t.string(),
    legalBasis: t.field({ type: LegalBasisEnum, required: true }),
  }),
});

builder.mutationField('definePurpose', (t) =>
  withCaller(t).prismaField({
    type: 'Purpose',
    args: { input: t.arg({ type: DefinePurposeInput, required: true }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: (_query, _root, { input }, ctx) => definePurpose(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId.id }),
  }),
);
