import type { Principal, TenantRole } from '../auth/principal.ts';
import { builder } from './builder.ts';
import { RoleEnum } from './enums.ts';

// The caller itself: Query.viewer and what it reaches.
const MembershipRef = builder.objectRef<{ tenantId: string; role: TenantRole }>('Membership').implement({
  description: "The caller's role in one tenant.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    tenant: t.prismaField({
      type: 'Tenant',
      description: 'The tenant.',
      resolve: (query, m, _args, ctx) => ctx.app.prisma.tenant.findUniqueOrThrow({ ...query, where: { id: m.tenantId } }),
    }),
    role: t.expose('role', { type: RoleEnum, description: 'What the caller may do in it.' }),
  }),
});

const ViewerRef = builder.objectRef<Principal>('Viewer').implement({
  description: 'Who is calling: an API key, a JWT subject or the operator, with its roles.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: "A stable id of the principal (not a global id)." }),
    platformRole: t.field({
      type: RoleEnum,
      nullable: true,
      description: 'PLATFORM_ADMIN when the principal operates the platform.',
      resolve: (p) => (p.platformAdmin ? 'PLATFORM_ADMIN' : null),
    }),
    memberships: t.field({
      type: [MembershipRef],
      description: 'The tenants the caller belongs to, each with its role.',
      resolve: (p) => [...p.memberships].map(([tenantId, role]) => ({ tenantId, role })),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.withAuth({ authenticated: true }).field({ type: ViewerRef, description: 'The authenticated principal: use it to learn which tenants and roles the token carries. UNAUTHENTICATED without a valid token.', resolve: (_root, _args, ctx) => ctx.principal }),
);
