/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    viewer { id platformRole memberships { role tenant { id name } } }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation DefinePurpose($input: DefinePurposeInput!) {\n    definePurpose(input: $input) { key description legalBasis }\n  }\n": typeof types.DefinePurposeDocument,
    "\n  query TenantWithAudit($id: ID!, $first: Int, $after: String) {\n    tenant(id: $id) {\n      id name createdAt\n      purposes { key legalBasis }\n      auditLog(first: $first, after: $after) {\n        edges { cursor node { id at actor action targetType targetId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.TenantWithAuditDocument,
    "\n  query Tenants($first: Int, $after: String) {\n    tenants(first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.TenantsDocument,
    "\n  mutation CreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role createdAt revokedAt tenant { id } } }\n  }\n": typeof types.CreateKeyDocument,
    "\n  mutation RevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }\n": typeof types.RevokeKeyDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id name } }\n": typeof types.CreateTenantDocument,
    "\n  query NodeQuery($id: ID!) { node(id: $id) { id ... on Tenant { name } ... on ApiKey { role } } }\n": typeof types.NodeQueryDocument,
    "\n  mutation SeedTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) { id name }\n  }\n": typeof types.SeedTenantDocument,
    "\n  mutation SeedKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id role } }\n  }\n": typeof types.SeedKeyDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer { id platformRole memberships { role tenant { id name } } }\n  }\n": types.ViewerDocument,
    "\n  mutation DefinePurpose($input: DefinePurposeInput!) {\n    definePurpose(input: $input) { key description legalBasis }\n  }\n": types.DefinePurposeDocument,
    "\n  query TenantWithAudit($id: ID!, $first: Int, $after: String) {\n    tenant(id: $id) {\n      id name createdAt\n      purposes { key legalBasis }\n      auditLog(first: $first, after: $after) {\n        edges { cursor node { id at actor action targetType targetId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.TenantWithAuditDocument,
    "\n  query Tenants($first: Int, $after: String) {\n    tenants(first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }\n  }\n": types.TenantsDocument,
    "\n  mutation CreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role createdAt revokedAt tenant { id } } }\n  }\n": types.CreateKeyDocument,
    "\n  mutation RevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }\n": types.RevokeKeyDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id name } }\n": types.CreateTenantDocument,
    "\n  query NodeQuery($id: ID!) { node(id: $id) { id ... on Tenant { name } ... on ApiKey { role } } }\n": types.NodeQueryDocument,
    "\n  mutation SeedTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) { id name }\n  }\n": types.SeedTenantDocument,
    "\n  mutation SeedKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id role } }\n  }\n": types.SeedKeyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { id platformRole memberships { role tenant { id name } } }\n  }\n"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DefinePurpose($input: DefinePurposeInput!) {\n    definePurpose(input: $input) { key description legalBasis }\n  }\n"): typeof import('./graphql').DefinePurposeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantWithAudit($id: ID!, $first: Int, $after: String) {\n    tenant(id: $id) {\n      id name createdAt\n      purposes { key legalBasis }\n      auditLog(first: $first, after: $after) {\n        edges { cursor node { id at actor action targetType targetId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql').TenantWithAuditDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tenants($first: Int, $after: String) {\n    tenants(first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }\n  }\n"): typeof import('./graphql').TenantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role createdAt revokedAt tenant { id } } }\n  }\n"): typeof import('./graphql').CreateKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }\n"): typeof import('./graphql').RevokeKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id name } }\n"): typeof import('./graphql').CreateTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeQuery($id: ID!) { node(id: $id) { id ... on Tenant { name } ... on ApiKey { role } } }\n"): typeof import('./graphql').NodeQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SeedTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) { id name }\n  }\n"): typeof import('./graphql').SeedTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SeedKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id role } }\n  }\n"): typeof import('./graphql').SeedKeyDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
