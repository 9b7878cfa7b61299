import { createApiKey, revokeApiKey } from '../auth/api-keys.ts';
import { ADMIN, inTenant, ownerOf } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { RoleEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  // Which keys exist, with which roles, is the tenant admin's business (platform keys: the operator's).
  authScopes: (key) => inTenant(key.tenantId, ADMIN),
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.expose('role', { type: RoleEnum }),
    tenant: t.relation('tenant', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: typeof ApiKeyRef.$inferType; secret: string }>('CreateApiKeyPayload').implement({
  // Reached only through createApiKey.
  authScopes: { authenticated: true },
  fields: (t) => ({
    apiKey: t.expose('apiKey', { type: ApiKeyRef }),
    secret: t.exposeString('secret', { description: 'Shown once; only a hash is stored.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, description: 'Null only for PLATFORM_ADMIN keys.' }),
    name: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: withCaller(t).field({
    type: CreateApiKeyPayload,
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    // A key of no tenant is a platform key: platform admins only.
    authScopes: (_root, { input }) => inTenant(input.tenantId?.id ?? null, ADMIN),
    resolve: (_root, { input }, ctx) => createApiKey(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId?.id ?? null }),
  }),
  revokeApiKey: withCaller(t).prismaField({
    type: 'ApiKey',
    args: { id: t.arg.globalID({ for: ApiKeyRef, required: true }) },
    authScopes: (_root, args) => ownerOf(args.id, ADMIN),
    resolve: (_query, _root, args, ctx) => revokeApiKey(ctx.app, ctx.principal, { id: args.id.id }),
  }),
}));
