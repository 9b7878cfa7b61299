// Who may call what. Each access rule stands next to the field or type it guards, as its
// `authScopes` (scope-auth); this file defines the scopes those rules are written in, and
// refuses a schema in which a root field or an object type states no rule: deny by default.
import { isObjectType, type GraphQLSchema } from 'graphql';
import { hasTenantRole, TENANT_ROLES, type Principal, type TenantRole } from '../auth/principal.ts';
import { resourceTenants } from '../auth/resources.ts';
import { AppError, notFound } from '../errors.ts';
import type { Context } from './context.ts';

export const ANY_ROLE = TENANT_ROLES;
export const ADMIN: readonly TenantRole[] = ['TENANT_ADMIN'];
export const AUDIT_READERS: readonly TenantRole[] = ['TENANT_ADMIN', 'DPO'];
export const RECIPIENT_MANAGERS: readonly TenantRole[] = ['TENANT_ADMIN', 'SENDER'];
export const SENDERS: readonly TenantRole[] = ['TENANT_ADMIN', 'SENDER'];

/** The scopes rules are written in. None holds without a principal. */
export interface AuthScopes {
  authenticated: boolean;
  platformAdmin: boolean;
  /** One of `roles` in the tenant; a null tenant is the platform's own (platform admins only). */
  tenantRole: { tenantId: string | null; roles: readonly TenantRole[] };
  /** One of `roles` in the tenant that owns the resource a decoded global id names (src/auth/resources.ts). */
  resourceRole: { typename: string; id: string; roles: readonly TenantRole[] };
}

/** The context of a resolver behind any of the scopes: it has a principal. */
export type CallerContext = Context & { principal: Principal };

export const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <token>"');
export const forbidden = () => new AppError('FORBIDDEN', 'Not allowed for this principal');

type ScopeLoaders = { [Scope in keyof AuthScopes]: boolean | ((param: AuthScopes[Scope]) => boolean | Promise<boolean>) };

/**
 * The scopes of one request. A resource id that names nothing is NOT_FOUND (thrown, so it
 * reaches the client as is); any other refusal is UNAUTHENTICATED or FORBIDDEN (builder.ts).
 */
export function scopesOf(ctx: Context): ScopeLoaders {
  const { principal } = ctx;
  if (!principal) return { authenticated: false, platformAdmin: false, tenantRole: false, resourceRole: false };
  const holds = (tenantId: string | null, roles: readonly TenantRole[]) =>
    tenantId === null ? principal.platformAdmin : hasTenantRole(principal, tenantId, roles);
  return {
    authenticated: true,
    platformAdmin: principal.platformAdmin,
    tenantRole: ({ tenantId, roles }) => holds(tenantId, roles),
    resourceRole: async ({ typename, id, roles }) => {
      // Own keys only: a type name such as __proto__ must name nothing.
      const tenantOf = Object.hasOwn(resourceTenants, typename) ? resourceTenants[typename] : undefined;
      if (!tenantOf) throw notFound('Node');
      const tenantId = await tenantOf(ctx.app.prisma, id);
      if (tenantId === undefined) throw notFound(typename);
      return holds(tenantId, roles);
    },
  };
}

/** Rule: the caller holds one of `roles` in the tenant (null: the platform's own). */
export const inTenant = (tenantId: string | null, roles: readonly TenantRole[]) => ({ tenantRole: { tenantId, roles } });

/** Rule: the caller holds one of `roles` in the tenant that owns the resource `resource` names. */
export const ownerOf = (resource: { typename: string; id: string }, roles: readonly TenantRole[]) => ({
  resourceRole: { typename: resource.typename, id: resource.id, roles },
});

/** Type rule of rows that belong to a tenant: any member of it may read them. */
export const tenantRow = (row: { tenantId: string | null }) => inTenant(row.tenantId, ANY_ROLE);

/** Connection, edge and page-info wrappers carry no data of their own; their nodes are guarded. */
const WRAPPER = /(Connection|Edge)$|^PageInfo$/;

const hasRule = (extensions: { pothosOptions?: unknown }) => (extensions.pothosOptions as { authScopes?: unknown } | undefined)?.authScopes !== undefined;

/** Deny by default: the schema, unless a root field or an object type states no rule; then it throws naming them. */
export function requireAccessRules(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const unguarded: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || WRAPPER.test(type.name)) continue;
    if (!hasRule(type.extensions)) unguarded.push(type.name);
    if (roots.has(type)) unguarded.push(...Object.values(type.getFields()).filter((f) => !hasRule(f.extensions)).map((f) => `${type.name}.${f.name}`));
  }
  if (unguarded.length) throw new Error(`No access rule (authScopes) on ${unguarded.join(', ')}: every root field and every object type states one`);
  return schema;
}
