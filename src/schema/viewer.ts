import type { Principal, TenantRole } from '../auth/principal.ts';
import { builder } from './builder.ts';
import { RoleEnum } from './enums.ts';

// The caller itself: Query.viewer and what it reaches.
const MembershipRef = builder.objectRef<{ tenantId: string; role: TenantRole }>('Membership').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    tenant: t.prismaField({
      type: 'Tenant',
      resolve: (query, m, _args, ctx) => ctx.app.prisma.tenant.findUniqueOrThrow({ ...query, where: { id: m.tenantId } }),
    }),
    role: t.expose('role', { type: RoleEnum }),
  }),
});

const ViewerRef = builder.objectRef<Principal>('Viewer').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    platformRole: t.field({
      type: RoleEnum,
      nullable: true,
      description: 'PLATFORM_ADMIN when the principal operates the platform.',
      resolve: (p) => (p.platformAdmin ? 'PLATFORM_ADMIN' : null),
    }),
    memberships: t.field({
      type: [MembershipRef],
      resolve: (p) => [...p.memberships].map(([tenantId, role]) => ({ tenantId, role })),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.withAuth({ authenticated: true }).field({ type: ViewerRef, description: 'The authenticated principal.', resolve: (_root, _args, ctx) => ctx.principal }),
);
