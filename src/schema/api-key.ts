import { createApiKey, revokeApiKey } from '../auth/api-keys.ts';
import { requireGlobalId } from '../ids.ts';
import { builder } from './builder.ts';
import { RoleEnum } from './enums.ts';

const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.expose('role', { type: RoleEnum }),
    tenant: t.relation('tenant', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: typeof ApiKeyRef.$inferType; secret: string }>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.expose('apiKey', { type: ApiKeyRef }),
    secret: t.exposeString('secret', { description: 'Shown once; only a hash is stored.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    tenantId: t.id({ description: 'Null only for PLATFORM_ADMIN keys.' }),
    name: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createApiKey(ctx.app, ctx.principal!, {
        ...input,
        tenantId: input.tenantId == null ? null : requireGlobalId(String(input.tenantId), 'Tenant'),
      }),
  }),
  revokeApiKey: t.prismaField({
    type: 'ApiKey',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, ctx) => revokeApiKey(ctx.app, ctx.principal!, { id: requireGlobalId(String(args.id), 'ApiKey') }),
  }),
}));
