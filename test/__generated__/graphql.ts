/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateApiKeyInput = {
  name: string;
  role: Role;
  /** Null only for PLATFORM_ADMIN keys. */
  tenantId?: string | number | null | undefined;
};

export type CreateTenantInput = {
  /** ISO 3166 alpha-2 country for reading national phone numbers; default SE. */
  defaultCountry?: string | null | undefined;
  name: string;
};

export type DefinePurposeInput = {
  description?: string | null | undefined;
  key: string;
  legalBasis: LegalBasis;
  tenantId: string | number;
};

export type LegalBasis =
  | 'CONSENT'
  | 'CONTRACT'
  | 'LEGAL_OBLIGATION'
  | 'LEGITIMATE_INTEREST';

export type Role =
  /** Handles data subject requests and reads the audit log within one tenant. */
  | 'DPO'
  /** Operates the whole platform; the only role that sees every tenant. */
  | 'PLATFORM_ADMIN'
  /** Manages recipients and consents and creates sends within one tenant. */
  | 'SENDER'
  /** Manages one tenant: members, API keys, channels, purposes, retention. */
  | 'TENANT_ADMIN'
  /** Reads sends and their status within one tenant; may subscribe to status updates. */
  | 'VIEWER';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, platformRole: Role | null, memberships: Array<{ role: Role, tenant: { id: string, name: string } }> } };

export type DefinePurposeMutationVariables = Exact<{
  input: DefinePurposeInput;
}>;


export type DefinePurposeMutation = { definePurpose: { key: string, description: string | null, legalBasis: LegalBasis } };

export type TenantWithAuditQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TenantWithAuditQuery = { tenant: { id: string, name: string, createdAt: string, purposes: Array<{ key: string, legalBasis: LegalBasis }>, auditLog: { edges: Array<{ cursor: string, node: { id: string, at: string, actor: string, action: string, targetType: string | null, targetId: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type TenantsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TenantsQuery = { tenants: { edges: Array<{ node: { id: string, name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, role: Role, createdAt: string, revokedAt: string | null, tenant: { id: string } | null } } };

export type RevokeKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type CreateTenantMutationVariables = Exact<{
  input: CreateTenantInput;
}>;


export type CreateTenantMutation = { createTenant: { id: string, name: string } };

export type NodeQueryQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQueryQuery = { node:
    | { role: Role, id: string }
    | { name: string, id: string }
   | null };

export type SeedTenantMutationVariables = Exact<{
  input: CreateTenantInput;
}>;


export type SeedTenantMutation = { createTenant: { id: string, name: string } };

export type SeedKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type SeedKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, role: Role } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    id
    platformRole
    memberships {
      role
      tenant {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const DefinePurposeDocument = new TypedDocumentString(`
    mutation DefinePurpose($input: DefinePurposeInput!) {
  definePurpose(input: $input) {
    key
    description
    legalBasis
  }
}
    `) as unknown as TypedDocumentString<DefinePurposeMutation, DefinePurposeMutationVariables>;
export const TenantWithAuditDocument = new TypedDocumentString(`
    query TenantWithAudit($id: ID!, $first: Int, $after: String) {
  tenant(id: $id) {
    id
    name
    createdAt
    purposes {
      key
      legalBasis
    }
    auditLog(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          actor
          action
          targetType
          targetId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TenantWithAuditQuery, TenantWithAuditQueryVariables>;
export const TenantsDocument = new TypedDocumentString(`
    query Tenants($first: Int, $after: String) {
  tenants(first: $first, after: $after) {
    edges {
      node {
        id
        name
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<TenantsQuery, TenantsQueryVariables>;
export const CreateKeyDocument = new TypedDocumentString(`
    mutation CreateKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
      name
      role
      createdAt
      revokedAt
      tenant {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateKeyMutation, CreateKeyMutationVariables>;
export const RevokeKeyDocument = new TypedDocumentString(`
    mutation RevokeKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeKeyMutation, RevokeKeyMutationVariables>;
export const CreateTenantDocument = new TypedDocumentString(`
    mutation CreateTenant($input: CreateTenantInput!) {
  createTenant(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateTenantMutation, CreateTenantMutationVariables>;
export const NodeQueryDocument = new TypedDocumentString(`
    query NodeQuery($id: ID!) {
  node(id: $id) {
    id
    ... on Tenant {
      name
    }
    ... on ApiKey {
      role
    }
  }
}
    `) as unknown as TypedDocumentString<NodeQueryQuery, NodeQueryQueryVariables>;
export const SeedTenantDocument = new TypedDocumentString(`
    mutation SeedTenant($input: CreateTenantInput!) {
  createTenant(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<SeedTenantMutation, SeedTenantMutationVariables>;
export const SeedKeyDocument = new TypedDocumentString(`
    mutation SeedKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
      role
    }
  }
}
    `) as unknown as TypedDocumentString<SeedKeyMutation, SeedKeyMutationVariables>;