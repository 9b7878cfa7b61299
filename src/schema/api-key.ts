import { createApiKey, revokeApiKey } from '../auth/api-keys.ts';
import { ADMIN, inTenant, ownerOf } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { RoleEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

const ApiKeyRef = builder.prismaNode('ApiKey', {
  description: "A credential for server-to-server calls, with one role in one tenant (or PLATFORM_ADMIN). Its secret is never shown again. Readable by the tenant's TENANT_ADMIN.",
  id: { field: 'id' },
  // Which keys exist, with which roles, is the tenant admin's business (platform keys: the operator's).
  authScopes: (key) => inTenant(key.tenantId, ADMIN),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the key is for, in words.' }),
    role: t.expose('role', { type: RoleEnum, description: 'What the key may do.' }),
    tenant: t.relation('tenant', { nullable: true, description: 'The tenant it acts in; null for a PLATFORM_ADMIN key.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; a revoked key is UNAUTHENTICATED. Null while valid.' }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: typeof ApiKeyRef.$inferType; secret: string }>('CreateApiKeyPayload').implement({
  description: 'A new API key and its secret.',
  // Reached only through createApiKey.
  authScopes: { authenticated: true },
  fields: (t) => ({
    apiKey: t.expose('apiKey', { type: ApiKeyRef, description: 'The key created.' }),
    secret: t.exposeString('secret', { description: 'Shown once; only a hash is stored. Send it as "Authorization: Bearer <secret>".' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, description: 'Null only for PLATFORM_ADMIN keys.' }),
    name: t.string({ required: true, description: 'What the key is for, in words.' }),
    role: t.field({ type: RoleEnum, required: true, description: 'What the key may do; PLATFORM_ADMIN only with a null tenantId.' }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: withCaller(t).field({
    type: CreateApiKeyPayload,
    description: "Creates an API key and returns its secret once. The tenant's TENANT_ADMIN (platform keys: PLATFORM_ADMIN), else FORBIDDEN; BAD_USER_INPUT names an invalid field.",
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }) },
    // A key of no tenant is a platform key: platform admins only.
    authScopes: (_root, { input }) => inTenant(input.tenantId?.id ?? null, ADMIN),
    resolve: (_root, { input }, ctx) => createApiKey(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId?.id ?? null }),
  }),
  revokeApiKey: withCaller(t).prismaField({
    type: 'ApiKey',
    description: "Revokes an API key at once; its later requests are UNAUTHENTICATED. The key's TENANT_ADMIN, else FORBIDDEN; NOT_FOUND for an unknown id.",
    args: { id: t.arg.globalID({ for: ApiKeyRef, required: true, description: 'The key to revoke.' }) },
    authScopes: (_root, args) => ownerOf(args.id, ADMIN),
    resolve: async (_query, _root, args, ctx) => {
      const key = await revokeApiKey(ctx.app, ctx.principal, { id: args.id.id });
      ctx.app.authenticator.forgetApiKey(key.secretHash);
      return key;
    },
  }),
}));
