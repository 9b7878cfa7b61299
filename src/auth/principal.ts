// Who is calling, and in which tenants with which role. Built once per request from the
// Authorization header; every permission rule reads only this.
import { Role } from '../db/generated/enums.ts';

export type TenantRole = Exclude<Role, 'PLATFORM_ADMIN'>;
/** Every role but PLATFORM_ADMIN: the roles a principal holds within one tenant. */
export const TENANT_ROLES = Object.values(Role).filter((role): role is TenantRole => role !== Role.PLATFORM_ADMIN);

export interface Principal {
  /** What the audit log names as actor: 'apikey:<id>', 'user:<sub>' or 'operator'. */
  actor: string;
  /** Stable id exposed as Viewer.id. */
  id: string;
  kind: 'operator' | 'apiKey' | 'user';
  platformAdmin: boolean;
  /** tenant id -> role. */
  memberships: ReadonlyMap<string, TenantRole>;
}

/** The operator: ADMIN_API_KEY over HTTP, and the command line. */
export const OPERATOR: Principal = { actor: 'operator', id: 'operator', kind: 'operator', platformAdmin: true, memberships: new Map() };

export function roleIn(principal: Principal | null, tenantId: string): TenantRole | null {
  return principal?.memberships.get(tenantId) ?? null;
}

/** True when the principal may act in the tenant with one of the roles (platform admins always may). */
export function hasTenantRole(principal: Principal | null, tenantId: string, roles: readonly TenantRole[]): boolean {
  if (!principal) return false;
  if (principal.platformAdmin) return true;
  const role = principal.memberships.get(tenantId);
  return role !== undefined && roles.includes(role);
}
