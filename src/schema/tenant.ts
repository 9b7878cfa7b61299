import { createTenant } from '../tenants/tenants.ts';
import { ANY_ROLE, AUDIT_READERS, inTenant } from './access.ts';
import { AuditEventRef } from './audit.ts';
import { builder, withCaller } from './builder.ts';

export const TenantRef = builder.prismaNode('Tenant', {
  description: 'A customer organisation: its recipients, purposes, channels, sends and audit log. Readable by its members and PLATFORM_ADMIN.',
  id: { field: 'id' },
  authScopes: (tenant) => inTenant(tenant.id, ANY_ROLE),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the tenant was created.' }),
    purposes: t.relation('purposes', { query: { orderBy: { key: 'asc' } }, description: 'The purposes sends and consents may name, by key.' }),
    auditLog: t.relatedConnection(
      'auditEvents',
      {
        cursor: 'id',
        query: { orderBy: { id: 'desc' } },
        type: AuditEventRef,
        description: 'The audit log, newest first. TENANT_ADMIN and DPO only (else FORBIDDEN).',
        authScopes: (tenant) => inTenant(tenant.id, AUDIT_READERS),
      },
      { name: 'AuditEventConnection', description: 'A page of audit events.' },
      { name: 'AuditEventEdge' },
    ),
  }),
});

builder.queryFields((t) => ({
  tenant: t.prismaField({
    type: 'Tenant',
    nullable: true,
    description: 'A tenant by id, for its members and PLATFORM_ADMIN. NOT_FOUND for an id of no tenant; FORBIDDEN for another tenant.',
    args: { id: t.arg.globalID({ for: TenantRef, required: true, description: 'The tenant\'s global id.' }) },
    authScopes: (_root, args) => inTenant(args.id.id, ANY_ROLE),
    resolve: (query, _root, args, ctx) => ctx.app.prisma.tenant.findUnique({ ...query, where: { id: args.id.id } }),
  }),
  tenants: t.prismaConnection(
    {
      type: 'Tenant',
      description: 'Every tenant, oldest first. PLATFORM_ADMIN only (else FORBIDDEN).',
      cursor: 'id',
      authScopes: { platformAdmin: true },
      resolve: (query, _root, _args, ctx) => ctx.app.prisma.tenant.findMany({ ...query, orderBy: { id: 'asc' } }),
    },
    { name: 'TenantConnection', description: 'A page of tenants.' },
    { name: 'TenantEdge' },
  ),
}));

const CreateTenantInput = builder.inputType('CreateTenantInput', {
  description: 'A new tenant.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Display name; BAD_USER_INPUT when empty.' }),
    defaultCountry: t.string({ description: 'ISO 3166 alpha-2 country for reading national phone numbers; default SE.' }),
  }),
});

builder.mutationField('createTenant', (t) =>
  withCaller(t).prismaField({
    type: 'Tenant',
    description: 'Creates a tenant. PLATFORM_ADMIN only (else FORBIDDEN); BAD_USER_INPUT names an invalid field.',
    args: { input: t.arg({ type: CreateTenantInput, required: true, description: 'The new tenant.' }) },
    authScopes: { platformAdmin: true },
    resolve: async (query, _root, { input }, ctx) => {
      const tenant = await createTenant(ctx.app, ctx.principal, input);
      return ctx.app.prisma.tenant.findUniqueOrThrow({ ...query, where: { id: tenant.id } });
    },
  }),
);
