// Every field's access rule, in one place (graphql-shield). Deny by default: a root field or
// a field on a domain type without a rule here is refused. Tenant-scoped rules find the
// tenant from an argument, from the resource an id names, or from the parent object.
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { allow, rule, shield, type IRules } from 'graphql-shield';
import { AppError } from '../errors.ts';
import { decodeGlobalId } from '../ids.ts';
import type { Context } from '../schema/builder.ts';
import { hasTenantRole, type TenantRole } from './principal.ts';
import { resourceTenants } from './resources.ts';

const ALL: readonly TenantRole[] = ['TENANT_ADMIN', 'SENDER', 'VIEWER', 'DPO'];
const ADMIN: readonly TenantRole[] = ['TENANT_ADMIN'];
const AUDIT_READERS: readonly TenantRole[] = ['TENANT_ADMIN', 'DPO'];
const RECIPIENT_MANAGERS: readonly TenantRole[] = ['TENANT_ADMIN', 'SENDER'];
const SENDERS: readonly TenantRole[] = ['TENANT_ADMIN', 'SENDER'];

const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <token>"');
const forbidden = () => new AppError('FORBIDDEN', 'Not allowed for this principal');

const dig = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

const isAuthenticated = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => (ctx.principal ? true : unauthenticated()));

const isPlatformAdmin = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) =>
  !ctx.principal ? unauthenticated() : ctx.principal.platformAdmin ? true : forbidden(),
);

function decide(ctx: Context, tenantId: string | null | undefined, roles: readonly TenantRole[], what: string) {
  if (!ctx.principal) return unauthenticated();
  if (tenantId === undefined) return new AppError('NOT_FOUND', `${what} not found`);
  if (tenantId === null) return ctx.principal.platformAdmin ? true : forbidden();
  return hasTenantRole(ctx.principal, tenantId, roles) ? true : forbidden();
}

/** The argument at `path` is a Tenant id in which the principal needs one of `roles`. */
const tenantArg = (path: string, roles: readonly TenantRole[]) =>
  rule({ cache: 'no_cache' })((_p, args, ctx: Context) => {
    const decoded = decodeGlobalId(String(dig(args, path) ?? ''));
    return decide(ctx, decoded?.typename === 'Tenant' ? decoded.id : undefined, roles, 'Tenant');
  });

/** The argument at `path` names a resource (of `typename`, or any when omitted) whose tenant the principal needs a role in. */
const resourceArg = (path: string, roles: readonly TenantRole[], typename?: string) =>
  rule({ cache: 'no_cache' })(async (_p, args, ctx: Context) => {
    if (!ctx.principal) return unauthenticated();
    const decoded = decodeGlobalId(String(dig(args, path) ?? ''));
    const tenantOf = decoded && (!typename || decoded.typename === typename) ? resourceTenants[decoded.typename] : undefined;
    const tenantId = tenantOf ? await tenantOf(ctx.app.prisma, decoded!.id) : undefined;
    return decide(ctx, tenantId, roles, typename ?? 'Node');
  });

/** The parent object belongs to a tenant (its `id` for Tenant, else `tenantId`). */
const parentTenant = (roles: readonly TenantRole[], tenantIdOf: (parent: { id: string; tenantId?: string | null }) => string | null | undefined) =>
  rule({ cache: 'no_cache' })((parent, _a, ctx: Context) => decide(ctx, tenantIdOf(parent), roles, 'Tenant'));

/** createApiKey: platform keys by platform admins, tenant keys by that tenant's admins. */
const canCreateApiKey = rule({ cache: 'no_cache' })((_p, args, ctx: Context) => {
  const tenantId = dig(args, 'input.tenantId');
  if (tenantId == null) return !ctx.principal ? unauthenticated() : ctx.principal.platformAdmin ? true : forbidden();
  const decoded = decodeGlobalId(String(tenantId));
  return decide(ctx, decoded?.typename === 'Tenant' ? decoded.id : undefined, ADMIN, 'Tenant');
});

const rules: IRules = {
  Query: {
    viewer: isAuthenticated,
    node: resourceArg('id', ALL),
    tenant: tenantArg('id', ALL),
    tenants: isPlatformAdmin,
    recipient: resourceArg('id', ALL, 'Recipient'),
    channelPlugins: isAuthenticated,
    subprocessors: tenantArg('tenantId', ALL),
    send: resourceArg('id', ALL, 'Send'),
  },
  Mutation: {
    createTenant: isPlatformAdmin,
    createApiKey: canCreateApiKey,
    revokeApiKey: resourceArg('id', ADMIN, 'ApiKey'),
    definePurpose: tenantArg('input.tenantId', ADMIN),
    upsertRecipient: tenantArg('input.tenantId', RECIPIENT_MANAGERS),
    upsertRecipients: tenantArg('input.tenantId', RECIPIENT_MANAGERS),
    recordConsent: resourceArg('input.recipientId', RECIPIENT_MANAGERS, 'Recipient'),
    withdrawConsent: resourceArg('input.recipientId', RECIPIENT_MANAGERS, 'Recipient'),
    configureChannel: tenantArg('input.tenantId', ADMIN),
    createSend: resourceArg('input.recipientId', SENDERS, 'Recipient'),
    createCampaign: tenantArg('input.tenantId', SENDERS),
    cancelSend: resourceArg('id', SENDERS, 'Send'),
  },
  Viewer: allow,
  Membership: allow,
  Tenant: {
    id: allow,
    name: allow,
    createdAt: allow,
    purposes: allow,
    auditLog: parentTenant(AUDIT_READERS, (t) => t.id),
    recipients: parentTenant(ALL, (t) => t.id),
    channels: parentTenant(ALL, (t) => t.id),
    sends: parentTenant(ALL, (t) => t.id),
    campaigns: parentTenant(ALL, (t) => t.id),
  },
  // Reached only through rules above; personal fields are masked for VIEWER in the resolver.
  Recipient: allow,
  Consent: allow,
  // Sends and campaigns are reached only through the tenant-scoped rules above.
  Send: allow,
  SendEvent: allow,
  Gift: allow,
  Campaign: allow,
  CampaignStats: allow,
  UpsertRecipientsPayload: allow,
  ApiKey: allow,
  CreateApiKeyPayload: allow,
  Purpose: allow,
  AuditEvent: allow,
  // The installed catalogue and subprocessor metadata: no tenant data.
  ChannelPlugin: allow,
  Subprocessor: allow,
  // Carries no credential; reached through the tenant-scoped rules above.
  ChannelConfig: {
    '*': allow,
    webhookUrl: parentTenant(ADMIN, (c) => c.tenantId),
  },
};

/** Connection, edge and page-info wrappers carry no data of their own; their nodes are guarded. */
function wrapperRules(schema: GraphQLSchema): IRules {
  const wrappers: IRules = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLObjectType && /(Connection|Edge)$|^PageInfo$/.test(type.name)) wrappers[type.name] = allow;
  }
  return wrappers;
}

export function permissions(schema: GraphQLSchema) {
  return shield(
    { ...wrapperRules(schema), ...rules },
    {
      fallbackRule: rule({ cache: 'no_cache' })(() => forbidden()),
      allowExternalErrors: true,
      fallbackError: () => forbidden(),
    },
  );
}
