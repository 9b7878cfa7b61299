import { definePurpose } from '../tenants/tenants.ts';
import { requireGlobalId } from '../ids.ts';
import { builder } from './builder.ts';
import { LegalBasisEnum } from './enums.ts';

builder.prismaObject('Purpose', {
  description: 'Why the tenant processes personal data when it sends, and on which legal basis.',
  fields: (t) => ({
    key: t.exposeString('key'),
    description: t.exposeString('description', { nullable: true }),
    legalBasis: t.expose('legalBasis', { type: LegalBasisEnum }),
  }),
});

const DefinePurposeInput = builder.inputType('DefinePurposeInput', {
  fields: (t) => ({
    tenantId: t.id({ required: true }),
    key: t.string({ required: true }),
    description: t.string(),
    legalBasis: t.field({ type: LegalBasisEnum, required: true }),
  }),
});

builder.mutationField('definePurpose', (t) =>
  t.prismaField({
    type: 'Purpose',
    args: { input: t.arg({ type: DefinePurposeInput, required: true }) },
    resolve: (_query, _root, { input }, ctx) =>
      definePurpose(ctx.app, ctx.principal!, { ...input, tenantId: requireGlobalId(String(input.tenantId), 'Tenant') }),
  }),
);
