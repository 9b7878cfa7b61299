import { createTenant } from '../tenants/tenants.ts';
import { ANY_ROLE, AUDIT_READERS, inTenant } from './access.ts';
import { AuditEventRef } from './audit.ts';
import { builder, withCaller } from './builder.ts';

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  authScopes: (tenant) => inTenant(tenant.id, ANY_ROLE),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    purposes: t.relation('purposes', { query: { orderBy: { key: 'asc' } } }),
    auditLog: t.relatedConnection(
      'auditEvents',
      { cursor: 'id', query: { orderBy: { id: 'desc' } }, type: AuditEventRef, authScopes: (tenant) => inTenant(tenant.id, AUDIT_READERS) },
      { name: 'AuditEventConnection' },
      { name: 'AuditEventEdge' },
    ),
  }),
});

builder.queryFields((t) => ({
  tenant: t.prismaField({
    type: 'Tenant',
    nullable: true,
    args: { id: t.arg.globalID({ for: TenantRef, required: true }) },
    authScopes: (_root, args) => inTenant(args.id.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.tenant.findUnique({ ...query, where: { id: args.id.id } }),
  }),
  tenants: t.prismaConnection(
    {
      type: 'Tenant',
      description: 'PLATFORM_ADMIN only.',
      cursor: 'id',
      authScopes: { platformAdmin: true },
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
  withCaller(t).prismaField({
    type: 'Tenant',
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    authScopes: { platformAdmin: true },
    resolve: async (query, _root, { input }, ctx) => {
      const tenant = await createTenant(ctx.app, ctx.principal, input);
      return ctx.app.prisma.tenant.findUniqueOrThrow({ ...query, where: { id: tenant.id } });
    },
  }),
);
