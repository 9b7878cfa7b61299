import { createTenant } from '../tenants/tenants.ts';
import { requireGlobalId } from '../ids.ts';
import { builder } from './builder.ts';
import { AuditEventRef } from './audit.ts';

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    purposes: t.relation('purposes', { query: { orderBy: { key: 'asc' } } }),
    auditLog: t.relatedConnection(
      'auditEvents',
      { cursor: 'id', query: { orderBy: { id: 'desc' } }, type: AuditEventRef },
      { name: 'AuditEventConnection' },
      { name: 'AuditEventEdge' },
    ),
  }),
});

builder.queryFields((t) => ({
  tenant: t.prismaField({
    type: 'Tenant',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.app.prisma.tenant.findUnique({ ...query, where: { id: requireGlobalId(String(args.id), 'Tenant') } }),
  }),
  tenants: t.prismaConnection(
    {
      type: 'Tenant',
      description: 'PLATFORM_ADMIN only.',
      cursor: 'id',
      resolve: (query, _root, _args, ctx) => ctx.app.prisma.tenant.findMany({ ...query, orderBy: { id: 'asc' } }),
    },
    { name: 'TenantConnection' },
    { name: 'TenantEdge' },
  ),
}));

const CreateTenantInput = builder.inputType('CreateTenantInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    defaultCountry: t.string({ description: 'ISO 3166 alpha-2 country for reading national phone numbers; default SE.' }),
  }),
});

builder.mutationField('createTenant', (t) =>
  t.prismaField({
    type: 'Tenant',
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const tenant = await createTenant(ctx.app, ctx.principal!, input);
      return ctx.app.prisma.tenant.findUniqueOrThrow({ ...query, where: { id: tenant.id } });
    },
  }),
);
