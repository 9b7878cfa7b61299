// The one Pothos builder. Every file in src/schema adds one domain's types and fields, each
// with its access rule (src/schema/access.ts).
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type ReplaceContext } from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../db/generated/pothos-types.ts';
import { getDatamodel } from '../db/generated/pothos-types.ts';
import { notFound } from '../errors.ts';
import { decodeGlobalId, encodeGlobalId } from '../ids.ts';
import { ANY_ROLE, forbidden, ownerOf, scopesOf, unauthenticated, type AuthScopes, type CallerContext } from './access.ts';
import type { Context } from './context.ts';
import GlobalIdCheckPlugin, { PAGE_SIZE } from './global-ids.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  AuthContexts: { [Scope in keyof AuthScopes]: CallerContext };
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, GlobalIdCheckPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: scopesOf,
    unauthorizedError: (_parent, ctx) => (ctx.principal ? forbidden() : unauthenticated()),
    // Rules build their parameters per field and per row; equal ones share one answer per request.
    cacheKey: (param) => JSON.stringify(param),
  },
  prisma: {
    client: (ctx) => ctx.app.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
    defaultConnectionSize: PAGE_SIZE.default,
    maxConnectionSize: PAGE_SIZE.max,
  },
  relay: {
    firstArgOptions: { description: `The first n items after \`after\` (default ${PAGE_SIZE.default}, at most ${PAGE_SIZE.max}; more is BAD_USER_INPUT).` },
    lastArgOptions: { description: `The last n items before \`before\` (at most ${PAGE_SIZE.max}; more is BAD_USER_INPUT).` },
    afterArgOptions: { description: "An edge's cursor (or pageInfo.endCursor): the page starts after it." },
    beforeArgOptions: { description: "An edge's cursor (or pageInfo.startCursor): the page ends before it." },
    // Beside edges, as GitHub's API has them, for clients that need no cursors.
    nodesOnConnection: { description: 'The nodes of the page, without their cursors.' },
    nodeTypeOptions: { description: 'An object with a global id: fetch any of them again with Query.node(id:).' },
    idFieldOptions: { description: 'Opaque global id; pass it to Query.node(id:) and to the arguments that take this type.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list: whether more items follow or precede, and the cursors to get them.' },
    pageInfoFieldOptions: { description: 'The cursors and has-more flags of this page.' },
    hasNextPageFieldOptions: { description: 'More items follow: ask again with `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'More items precede: ask again with `before: startCursor`.' },
    startCursorFieldOptions: { description: "The first edge's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last edge's cursor; null on an empty page." },
    cursorFieldOptions: { description: 'Where this edge sits: pass it as `after` or `before` to page from here.' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with its cursor.' },
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    // Ids reach this only after GlobalIdCheckPlugin let them through.
    decodeGlobalID: (globalId) => {
      const decoded = decodeGlobalId(globalId);
      if (!decoded) throw notFound('Node');
      return decoded;
    },
    nodeQueryOptions: {
      description: 'Any object by its global id, for any member of the tenant that owns it. NOT_FOUND when the id names nothing or is malformed; FORBIDDEN in another tenant.',
      args: { id: { description: 'A global id taken from any `id` field.' } },
      authScopes: (_root, { id }) => ownerOf(id, ANY_ROLE),
    },
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false, description: 'The items of the page with their cursors.' },
    nodeFieldOptions: { nullable: false, description: 'The item itself.' },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
// Every root field needs a principal, and states its own rule on top.
builder.queryType({
  description: 'Reads. Every field needs "Authorization: Bearer <token>" (else UNAUTHENTICATED) and names the tenant roles that may call it; PLATFORM_ADMIN may call all.',
  authScopes: { authenticated: true },
});
builder.mutationType({
  description: 'Writes. Every field needs "Authorization: Bearer <token>" (else UNAUTHENTICATED) and names the tenant roles that may call it; PLATFORM_ADMIN may call all.',
  authScopes: { authenticated: true },
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * The mutation field builder whose resolvers are handed the caller (`ctx.principal`, by type):
 * the Mutation type admits only principals, and scope-auth checks a type's rule before any of
 * its fields resolves. Like t.withAuth, but adding no rule: each mutation states its own.
 */
export const withCaller = <Root>(t: PothosSchemaTypes.MutationFieldBuilder<Types, Root>) =>
  t as unknown as PothosSchemaTypes.MutationFieldBuilder<ReplaceContext<Types, CallerContext>, Root>;
