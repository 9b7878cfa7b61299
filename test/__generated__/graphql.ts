/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A kind of subprocessor plugin. Sends are delivered over SMS, EMAIL or PUSH; COUPON plugins issue gifts. */
export type Channel =
  /** Gift codes or links issued by a coupon provider; not a channel a message is sent on. */
  | 'COUPON'
  /** E-mail to the recipient's address. */
  | 'EMAIL'
  /** Push notification to the recipient's device tokens. */
  | 'PUSH'
  /** Text message to the recipient's phone (E.164). */
  | 'SMS';

/** A tenant's configuration of one plugin; configuring the same plugin again replaces it. */
export type ConfigureChannelInput = {
  /** Provider credentials and options, validated by the plugin; stored encrypted, never returned. */
  config: unknown;
  /** Whether sends may use it (default true). */
  enabled?: boolean | null | undefined;
  /** An id from channelPlugins; BAD_USER_INPUT when none is installed with it. */
  pluginId: string;
  /** Lower is tried first (default 0); the next one is the failover. */
  priority?: number | null | undefined;
  /** The tenant configuring it. */
  tenantId: string | number;
};

/** A new API key. */
export type CreateApiKeyInput = {
  /** What the key is for, in words. */
  name: string;
  /** What the key may do; PLATFORM_ADMIN only with a null tenantId. */
  role: Role;
  /** Null only for PLATFORM_ADMIN keys. */
  tenantId?: string | number | null | undefined;
};

/** One message to many recipients. */
export type CreateCampaignInput = {
  /** SMS, EMAIL or PUSH. */
  channel: Channel;
  /** A gift for each recipient; null for none. */
  gift?: GiftInput | null | undefined;
  /** Same key and same input within 24 hours returns the first campaign; other input is IDEMPOTENCY_CONFLICT. */
  idempotencyKey?: string | null | undefined;
  /** What each send says. */
  message: MessageInput;
  /** Display name. */
  name: string;
  /** The key of a defined purpose; BAD_USER_INPUT when the tenant has none with it. */
  purpose: string;
  /** Explicit recipients; when null, every recipient of the tenant. */
  recipientIds?: Array<string | number> | null | undefined;
  /** When to send; null for at once. */
  scheduledAt?: string | null | undefined;
  /** The tenant sending it. */
  tenantId: string | number;
};

/** One message to one recipient. */
export type CreateSendInput = {
  /** SMS, EMAIL or PUSH; the recipient needs the matching address (else BAD_USER_INPUT). */
  channel: Channel;
  /** A gift to issue and fill into the message; null for none. */
  gift?: GiftInput | null | undefined;
  /** Same key and same input within 24 hours returns the first send; same key with other input is IDEMPOTENCY_CONFLICT. */
  idempotencyKey?: string | null | undefined;
  /** What it says. */
  message: MessageInput;
  /** The key of a defined purpose; its legal basis decides whether consent is needed. */
  purpose: string;
  /** Who receives it. */
  recipientId: string | number;
  /** When to send it; null for at once. */
  scheduledAt?: string | null | undefined;
};

/** A new tenant. */
export type CreateTenantInput = {
  /** ISO 3166 alpha-2 country for reading national phone numbers; default SE. */
  defaultCountry?: string | null | undefined;
  /** Display name; BAD_USER_INPUT when empty. */
  name: string;
};

/** A new partner webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** A note on what it is for (at most 500 characters). */
  description?: string | null | undefined;
  /** Gift statuses to deliver (unknown ones: BAD_USER_INPUT); with statuses both empty or omitted, every event. */
  giftStatuses?: Array<GiftStatus> | null | undefined;
  /** Send statuses to deliver (unknown ones: BAD_USER_INPUT); with giftStatuses both empty or omitted, every event. */
  statuses?: Array<SendStatus> | null | undefined;
  /** The tenant whose events it receives. */
  tenantId: string | number;
  /** An https:// URL on a public address (http and private addresses only where the deployment allows them); otherwise BAD_USER_INPUT. */
  url: string;
};

/** A purpose to create, or to update when its key exists. */
export type DefinePurposeInput = {
  /** What the tenant does under this purpose, in words. */
  description?: string | null | undefined;
  /** The purpose's name, e.g. 'offers'; an existing key is updated. */
  key: string;
  /** The GDPR basis it relies on. */
  legalBasis: LegalBasis;
  /** The tenant it belongs to. */
  tenantId: string | number;
};

/** A gift (coupon) to issue before the message goes out; its code and link fill {{gift.code}} and {{gift.url}}. */
export type GiftInput = {
  /** When the gift stops being redeemable; null for the provider's default. */
  expiresAt?: string | null | undefined;
  /** The coupon provider's offer, e.g. 'coffee'. */
  offerId: string;
  /** A COUPON plugin id; null picks the tenant's configured COUPON channel. */
  pluginId?: string | null | undefined;
};

/** Where a gift is in its life, as its coupon provider reports it. */
export type GiftStatus =
  /** The provider cancelled it; it can no longer be redeemed. */
  | 'CANCELED'
  /** It expired unredeemed. */
  | 'EXPIRED'
  /** The provider issued the code or link; not redeemed yet. */
  | 'ISSUED'
  /** The recipient redeemed it (see redeemedAt). */
  | 'REDEEMED';

/** The GDPR Art. 6 basis a purpose relies on; it decides whether a send needs the recipient's consent. */
export type LegalBasis =
  /** Art. 6(1)(a): each send needs a granted consent for its channel and purpose, else CONSENT_REQUIRED. */
  | 'CONSENT'
  /** Art. 6(1)(b): needed to perform a contract with the recipient; no consent needed. */
  | 'CONTRACT'
  /** Art. 6(1)(c): required by law; no consent needed. */
  | 'LEGAL_OBLIGATION'
  /** Art. 6(1)(f): no consent needed, but a recipient who objected is refused with RECIPIENT_OBJECTED. */
  | 'LEGITIMATE_INTEREST';

/** What a send says. */
export type MessageInput = {
  /** The text; {{name}} and {{gift.url}}, {{gift.code}} are filled in. */
  body: string;
  /** Email subject or push title. */
  subject?: string | null | undefined;
};

/** One recipient of a bulk upsert, matched on externalId. */
export type RecipientItemInput = {
  /** E-mail address; BAD_USER_INPUT when invalid. */
  email?: string | null | undefined;
  /** The tenant's own id for the recipient; upserts match on it. */
  externalId: string;
  /** BCP 47 language tag, e.g. 'sv-SE'. */
  locale?: string | null | undefined;
  /** The name {{name}} fills in. */
  name?: string | null | undefined;
  /** E.164, or national in the tenant's default country; BAD_USER_INPUT when it is no phone number. */
  phone?: string | null | undefined;
  /** The recipient's device tokens for PUSH. */
  pushTokens?: Array<string> | null | undefined;
};

/** A recipient's consent to record. */
export type RecordConsentInput = {
  /** The channel consented to. */
  channel: Channel;
  /** The text or version the recipient agreed to. */
  proof?: string | null | undefined;
  /** The key of a defined purpose; BAD_USER_INPUT when the tenant has none with it. */
  purpose: string;
  /** Who consented. */
  recipientId: string | number;
  /** Where the consent was collected, e.g. 'signup-form-v3'. */
  source: string;
};

/** A principal's role: PLATFORM_ADMIN platform-wide, the others within one tenant. */
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

/** Replaces an endpoint's signing secret. */
export type RotateWebhookSecretInput = {
  /** The endpoint whose secret is replaced. */
  id: string | number;
  /** How long the old secret keeps signing beside the new one (default 86400, 0 to 604800; 0 drops it at once). */
  overlapSeconds?: number | null | undefined;
};

/** Where a send is in its life: QUEUED, SENDING, SENT, then DELIVERED or FAILED; CANCELED and BLOCKED end it early. */
export type SendStatus =
  /** Refused before dispatch: no consent, restricted or objected processing. */
  | 'BLOCKED'
  /** Cancelled before it was handed to a provider. */
  | 'CANCELED'
  /** The provider reported delivery to the recipient's device or inbox. */
  | 'DELIVERED'
  /** Delivery failed for good (after retries and failover). */
  | 'FAILED'
  /** Accepted and waiting for a worker. */
  | 'QUEUED'
  /** Handed to a provider plugin; no answer yet. */
  | 'SENDING'
  /** The provider accepted it. */
  | 'SENT';

/** New retention periods for a tenant; a period left out (or null) keeps its value. */
export type UpdateRetentionPolicyInput = {
  /** Days audit events are kept, 30 to 3650 (default 365). */
  auditLogDays?: number | null | undefined;
  /** Days without a send, consent change or update before a recipient is erased, 30 to 3650 (default 730). */
  inactiveRecipientDays?: number | null | undefined;
  /** Days a send's content and gift code are kept, 1 to 3650 (default 30). */
  sendDataDays?: number | null | undefined;
  /** The tenant whose policy changes. */
  tenantId: string | number;
};

/** Changes to an endpoint; omitted fields keep their values. */
export type UpdateWebhookEndpointInput = {
  /** A new note; null clears it. */
  description?: string | null | undefined;
  /** Gift statuses to deliver (unknown ones: BAD_USER_INPUT); with statuses both empty or omitted, every event. */
  giftStatuses?: Array<GiftStatus> | null | undefined;
  /** The endpoint to change. */
  id: string | number;
  /** Send statuses to deliver (unknown ones: BAD_USER_INPUT); with giftStatuses both empty or omitted, every event. */
  statuses?: Array<SendStatus> | null | undefined;
  /** A new URL, checked as at creation. */
  url?: string | null | undefined;
};

/** A recipient to create, or to update when the tenant already has its externalId. */
export type UpsertRecipientInput = {
  /** E-mail address; BAD_USER_INPUT when invalid. */
  email?: string | null | undefined;
  /** The tenant's own id for the recipient; upserts match on it. */
  externalId: string;
  /** BCP 47 language tag, e.g. 'sv-SE'. */
  locale?: string | null | undefined;
  /** The name {{name}} fills in. */
  name?: string | null | undefined;
  /** E.164, or national in the tenant's default country; BAD_USER_INPUT when it is no phone number. */
  phone?: string | null | undefined;
  /** The recipient's device tokens for PUSH. */
  pushTokens?: Array<string> | null | undefined;
  /** The tenant it belongs to. */
  tenantId: string | number;
};

/** Recipients to create or update in one go. */
export type UpsertRecipientsInput = {
  /** At most 10000 (more is BAD_USER_INPUT), each externalId once; all or nothing. */
  recipients: Array<RecipientItemInput>;
  /** The tenant they belong to. */
  tenantId: string | number;
};

/** Where a webhook delivery stands. */
export type WebhookDeliveryStatus =
  /** Retries are exhausted, the endpoint answered 410 or was disabled; redeliverWebhook tries once more. */
  | 'FAILED'
  /** Not delivered yet: the first attempt or a retry is queued (see nextAttemptAt). */
  | 'PENDING'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

/** A consent to withdraw. */
export type WithdrawConsentInput = {
  /** The channel of the consent. */
  channel: Channel;
  /** The purpose key of the consent. */
  purpose: string;
  /** Who withdraws. */
  recipientId: string | number;
};

export type ChannelPluginsQueryVariables = Exact<{ [key: string]: never; }>;


export type ChannelPluginsQuery = { channelPlugins: Array<{ id: string, channel: Channel, displayName: string, configSchema: unknown, subprocessor: { pluginId: string, name: string, legalEntity: string, purpose: string, location: string, transferMechanism: string | null, dataCategories: Array<string> } }> };

export type ConfigureChannelMutationVariables = Exact<{
  input: ConfigureChannelInput;
}>;


export type ConfigureChannelMutation = { configureChannel: { id: string, channel: Channel, priority: number, enabled: boolean, plugin: { id: string, displayName: string } } };

export type TenantChannelsQueryVariables = Exact<{
  id: string | number;
}>;


export type TenantChannelsQuery = { tenant: { channels: Array<{ id: string, channel: Channel, priority: number, enabled: boolean, plugin: { id: string } }> } | null };

export type ChannelWebhookUrlsQueryVariables = Exact<{
  id: string | number;
}>;


export type ChannelWebhookUrlsQuery = { tenant: { channels: Array<{ webhookUrl: string, plugin: { id: string } }> } | null };

export type SubprocessorsQueryVariables = Exact<{
  tenantId: string | number;
}>;


export type SubprocessorsQuery = { subprocessors: Array<{ pluginId: string, name: string, legalEntity: string, purpose: string, location: string, transferMechanism: string | null, dataCategories: Array<string> }> };

export type ChannelAuditLogQueryVariables = Exact<{
  id: string | number;
}>;


export type ChannelAuditLogQuery = { tenant: { auditLog: { edges: Array<{ node: { action: string, actor: string, targetType: string | null, targetId: string | null } }> } } | null };

export type ChannelNodeQueryVariables = Exact<{
  id: string | number;
}>;


export type ChannelNodeQuery = { node:
    | { id: string }
    | { id: string }
    | { channel: Channel, priority: number, enabled: boolean, id: string, plugin: { id: string } }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
   | null };

export type FaultsConfigureMutationVariables = Exact<{
  input: ConfigureChannelInput;
}>;


export type FaultsConfigureMutation = { configureChannel: { id: string } };

export type FaultsSeedMutationVariables = Exact<{
  tenantId: string | number;
  recipients: Array<RecipientItemInput> | RecipientItemInput;
}>;


export type FaultsSeedMutation = { definePurpose: { key: string }, upsertRecipients: { created: number } };

export type FaultsCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type FaultsCampaignMutation = { createCampaign: { id: string } };

export type FaultsStatsQueryVariables = Exact<{
  id: string | number;
}>;


export type FaultsStatsQuery = { node:
    | { stats: { total: number, queued: number, sent: number, delivered: number, failed: number }, sends: { edges: Array<{ node: { status: SendStatus, statusReason: string | null, provider: string | null, attempts: number, events: Array<{ status: SendStatus, provider: string | null, detail: string | null }> } }> } }
    | Record<PropertyKey, never>
   | null };

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
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { name: string, id: string }
    | { id: string }
    | { id: string }
   | null };

export type SeedTenantMutationVariables = Exact<{
  input: CreateTenantInput;
}>;


export type SeedTenantMutation = { createTenant: { id: string, name: string } };

export type SeedKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type SeedKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, role: Role } } };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string, description: string | null, statuses: Array<SendStatus>, giftStatuses: Array<GiftStatus>, enabled: boolean } } };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint: { id: string, url: string, description: string | null, statuses: Array<SendStatus>, giftStatuses: Array<GiftStatus> } };

export type DisableWebhookEndpointMutationVariables = Exact<{
  id: string | number;
}>;


export type DisableWebhookEndpointMutation = { disableWebhookEndpoint: { id: string, enabled: boolean, disabledReason: string | null, disabledAt: string | null } };

export type EnableWebhookEndpointMutationVariables = Exact<{
  id: string | number;
}>;


export type EnableWebhookEndpointMutation = { enableWebhookEndpoint: { id: string, enabled: boolean, disabledReason: string | null, consecutiveFailures: number, failingSince: string | null } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: string };

export type RotateWebhookSecretMutationVariables = Exact<{
  input: RotateWebhookSecretInput;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, previousSecretExpiresAt: string | null } } };

export type SendTestWebhookMutationVariables = Exact<{
  endpointId: string | number;
}>;


export type SendTestWebhookMutation = { sendTestWebhook: { id: string, webhookId: string, eventType: string, status: WebhookDeliveryStatus } };

export type RedeliverWebhookMutationVariables = Exact<{
  deliveryId: string | number;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: { id: string, status: WebhookDeliveryStatus, attemptCount: number } };

export type TenantWebhookEndpointsQueryVariables = Exact<{
  id: string | number;
}>;


export type TenantWebhookEndpointsQuery = { tenant: { webhookEndpoints: Array<{ id: string, url: string, enabled: boolean, disabledReason: string | null, disabledAt: string | null, lastSuccessAt: string | null, lastFailureAt: string | null, failingSince: string | null, consecutiveFailures: number }> } | null };

export type WebhookDeliveriesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
}>;


export type WebhookDeliveriesQuery = { node:
    | { deliveries: { edges: Array<{ node: { id: string, webhookId: string, eventType: string, payload: unknown, status: WebhookDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, lastAttemptAt: string | null, attempts: Array<{ at: string, statusCode: number | null, latencyMs: number, error: string | null }> } }> } }
    | Record<PropertyKey, never>
   | null };

export type WebhookAuditLogQueryVariables = Exact<{
  id: string | number;
}>;


export type WebhookAuditLogQuery = { tenant: { auditLog: { edges: Array<{ node: { action: string, actor: string, targetType: string | null, targetId: string | null } }> } } | null };

export type RecordSetupMutationVariables = Exact<{
  tenantId: string | number;
}>;


export type RecordSetupMutation = { definePurpose: { key: string }, receipts: { key: string }, sms: { id: string }, upsertRecipient: { id: string }, updateRetentionPolicy: { sendDataDays: number } };

export type ProcessingRecordReadQueryVariables = Exact<{
  id: string | number;
}>;


export type ProcessingRecordReadQuery = { tenant: { processingRecord: { generatedAt: string, securityMeasures: Array<string>, markdown: string, purposes: Array<{ key: string, legalBasis: LegalBasis, description: string | null }>, dataCategories: Array<{ name: string, description: string }>, subprocessors: Array<{ pluginId: string, legalEntity: string, location: string, transferMechanism: string | null, dataCategories: Array<string> }>, retentionPolicy: { sendDataDays: number, inactiveRecipientDays: number, auditLogDays: number } } } | null };

export type InboxSetupMutationVariables = Exact<{
  tenantId: string | number;
}>;


export type InboxSetupMutation = { definePurpose: { key: string }, configureChannel: { id: string }, upsertRecipient: { id: string } };

export type InboxSendMutationVariables = Exact<{
  input: CreateSendInput;
}>;


export type InboxSendMutation = { createSend: { id: string } };

export type InboxReadQueryVariables = Exact<{
  id: string | number;
}>;


export type InboxReadQuery = { send: { status: SendStatus, events: Array<{ status: SendStatus, provider: string | null, at: string }> } | null };

export type UpsertRecipientMutationVariables = Exact<{
  input: UpsertRecipientInput;
}>;


export type UpsertRecipientMutation = { upsertRecipient: { id: string, externalId: string | null, name: string | null, phone: string | null, email: string | null, locale: string | null, restricted: boolean, objected: boolean, consents: Array<{ channel: Channel, purpose: string, granted: boolean }> } };

export type UpsertRecipientsMutationVariables = Exact<{
  input: UpsertRecipientsInput;
}>;


export type UpsertRecipientsMutation = { upsertRecipients: { created: number, updated: number } };

export type GetRecipientQueryVariables = Exact<{
  id: string | number;
}>;


export type GetRecipientQuery = { recipient: { id: string, externalId: string | null, name: string | null, phone: string | null, email: string | null, tenant: { name: string }, consents: Array<{ id: string, channel: Channel, purpose: string, granted: boolean, source: string, proof: string | null, recordedAt: string, withdrawnAt: string | null }> } | null };

export type SearchRecipientsQueryVariables = Exact<{
  tenantId: string | number;
  search?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SearchRecipientsQuery = { tenant: { recipients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, externalId: string | null, phone: string | null, consents: Array<{ channel: Channel, purpose: string, granted: boolean }> } }> } } | null };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { id: string, channel: Channel, purpose: string, granted: boolean, source: string, proof: string | null, withdrawnAt: string | null } };

export type WithdrawConsentMutationVariables = Exact<{
  input: WithdrawConsentInput;
}>;


export type WithdrawConsentMutation = { withdrawConsent: { id: string, granted: boolean, withdrawnAt: string | null } };

export type DefinePurposeForRecipientsMutationVariables = Exact<{
  input: DefinePurposeInput;
}>;


export type DefinePurposeForRecipientsMutation = { definePurpose: { key: string } };

export type ScaleSetupMutationVariables = Exact<{
  tenantId: string | number;
  sms: unknown;
  coupon: unknown;
  recipients: Array<RecipientItemInput> | RecipientItemInput;
}>;


export type ScaleSetupMutation = { definePurpose: { key: string }, sms: { id: string }, coupon: { id: string, webhookUrl: string }, upsertRecipients: { created: number } };

export type ScaleRecipientsQueryVariables = Exact<{
  tenantId: string | number;
}>;


export type ScaleRecipientsQuery = { tenant: { recipients: { edges: Array<{ node: { id: string, externalId: string | null } }> } } | null };

export type ScaleConsentMutationVariables = Exact<{
  recipientId: string | number;
}>;


export type ScaleConsentMutation = { recordConsent: { id: string } };

export type ScaleSendMutationVariables = Exact<{
  input: CreateSendInput;
}>;


export type ScaleSendMutation = { createSend: { id: string, status: SendStatus } };

export type ScaleReadSendQueryVariables = Exact<{
  id: string | number;
}>;


export type ScaleReadSendQuery = { send: { status: SendStatus, provider: string | null, events: Array<{ status: SendStatus }>, gift: { provider: string, status: GiftStatus, code: string | null } | null } | null };

export type ScaleCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type ScaleCampaignMutation = { createCampaign: { id: string } };

export type ScaleStatsQueryVariables = Exact<{
  id: string | number;
}>;


export type ScaleStatsQuery = { node:
    | { stats: { total: number, queued: number, sent: number, delivered: number, failed: number, blocked: number, giftsRedeemed: number } }
    | Record<PropertyKey, never>
   | null };

export type RetentionSetupMutationVariables = Exact<{
  tenantId: string | number;
}>;


export type RetentionSetupMutation = { definePurpose: { key: string }, sms: { id: string }, coupon: { id: string } };

export type RetentionRecipientMutationVariables = Exact<{
  tenantId: string | number;
  externalId: string;
  phone: string;
}>;


export type RetentionRecipientMutation = { upsertRecipient: { id: string } };

export type RetentionConsentMutationVariables = Exact<{
  recipientId: string | number;
}>;


export type RetentionConsentMutation = { recordConsent: { granted: boolean } };

export type RetentionSendMutationVariables = Exact<{
  recipientId: string | number;
}>;


export type RetentionSendMutation = { createSend: { id: string } };

export type RetentionCampaignMutationVariables = Exact<{
  tenantId: string | number;
  recipientIds: Array<string | number> | string | number;
}>;


export type RetentionCampaignMutation = { createCampaign: { id: string } };

export type RetentionReadSendQueryVariables = Exact<{
  id: string | number;
}>;


export type RetentionReadSendQuery = { send: { status: SendStatus, channel: Channel, createdAt: string, contentErasedAt: string | null, events: Array<{ status: SendStatus }>, gift: { status: GiftStatus, offerId: string, code: string | null, url: string | null } | null, recipient: { id: string } | null } | null };

export type RetentionReadCampaignQueryVariables = Exact<{
  id: string | number;
}>;


export type RetentionReadCampaignQuery = { node:
    | { contentErasedAt: string | null, stats: { total: number, delivered: number } }
    | Record<PropertyKey, never>
   | null };

export type RetentionReadRecipientQueryVariables = Exact<{
  id: string | number;
}>;


export type RetentionReadRecipientQuery = { recipient: { id: string } | null };

export type RetentionPolicyReadQueryVariables = Exact<{
  id: string | number;
}>;


export type RetentionPolicyReadQuery = { tenant: { retentionPolicy: { sendDataDays: number, inactiveRecipientDays: number, auditLogDays: number } } | null };

export type RetentionPolicyUpdateMutationVariables = Exact<{
  input: UpdateRetentionPolicyInput;
}>;


export type RetentionPolicyUpdateMutation = { updateRetentionPolicy: { sendDataDays: number, inactiveRecipientDays: number, auditLogDays: number } };

export type RetentionAuditQueryVariables = Exact<{
  id: string | number;
}>;


export type RetentionAuditQuery = { tenant: { auditLog: { edges: Array<{ node: { action: string, actor: string, targetType: string | null, targetId: string | null, detail: unknown } }> } } | null };

export type ReadingSeedMutationVariables = Exact<{
  tenantId: string | number;
  recipients: Array<RecipientItemInput> | RecipientItemInput;
}>;


export type ReadingSeedMutation = { definePurpose: { key: string }, sms: { id: string }, coupon: { id: string }, upsertRecipients: { created: number } };

export type ReadingCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type ReadingCampaignMutation = { createCampaign: { id: string } };

export type ReadingSendsQueryVariables = Exact<{
  tenantId: string | number;
  first: number;
  campaignId?: string | number | null | undefined;
  status?: SendStatus | null | undefined;
}>;


export type ReadingSendsQuery = { tenant: { sends: { totalCount: number, edges: Array<{ node: { id: string, status: SendStatus, provider: string | null, providerMessageId: string | null, recipient: { id: string, locale: string | null } | null, campaign: { name: string, stats: { total: number, delivered: number, giftsRedeemed: number } } | null, gift: { provider: string, status: GiftStatus, code: string | null } | null, events: Array<{ status: SendStatus, at: string, provider: string | null }> } }> } } | null };

export type ReadingCampaignsQueryVariables = Exact<{
  tenantId: string | number;
  first: number;
}>;


export type ReadingCampaignsQuery = { tenant: { campaigns: { edges: Array<{ node: { id: string, name: string, stats: { total: number, queued: number, delivered: number, giftsRedeemed: number }, sends: { totalCount: number, edges: Array<{ node: { status: SendStatus } }> } } }> } } | null };

export type ReadingRecipientSendsQueryVariables = Exact<{
  id: string | number;
}>;


export type ReadingRecipientSendsQuery = { recipient: { sends: { totalCount: number, edges: Array<{ node: { status: SendStatus, campaign: { name: string } | null, events: Array<{ status: SendStatus }> } }> } } | null };

export type SendsDefinePurposeMutationVariables = Exact<{
  input: DefinePurposeInput;
}>;


export type SendsDefinePurposeMutation = { definePurpose: { key: string } };

export type SendsConfigureMutationVariables = Exact<{
  input: ConfigureChannelInput;
}>;


export type SendsConfigureMutation = { configureChannel: { id: string } };

export type SendsUpsertMutationVariables = Exact<{
  input: UpsertRecipientInput;
}>;


export type SendsUpsertMutation = { upsertRecipient: { id: string } };

export type SendsConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type SendsConsentMutation = { recordConsent: { id: string } };

export type SendsWithdrawMutationVariables = Exact<{
  input: WithdrawConsentInput;
}>;


export type SendsWithdrawMutation = { withdrawConsent: { id: string } };

export type SendsCreateMutationVariables = Exact<{
  input: CreateSendInput;
}>;


export type SendsCreateMutation = { createSend: { id: string, status: SendStatus, idempotencyKey: string | null, scheduledAt: string | null, channel: Channel, purpose: string, recipient: { id: string } | null } };

export type SendsCancelMutationVariables = Exact<{
  id: string | number;
}>;


export type SendsCancelMutation = { cancelSend: { id: string, status: SendStatus, statusReason: string | null } };

export type SendsReadQueryVariables = Exact<{
  id: string | number;
}>;


export type SendsReadQuery = { send: { id: string, status: SendStatus, statusReason: string | null, provider: string | null, providerMessageId: string | null, attempts: number, events: Array<{ status: SendStatus, at: string, provider: string | null, detail: string | null }>, gift: { id: string, provider: string, offerId: string, code: string | null, url: string | null, status: GiftStatus, redeemedAt: string | null } | null } | null };

export type SendsCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type SendsCampaignMutation = { createCampaign: { id: string, name: string, channel: Channel, purpose: string, stats: { total: number, queued: number, blocked: number, failed: number } } };

export type SendsReadCampaignQueryVariables = Exact<{
  id: string | number;
}>;


export type SendsReadCampaignQuery = { node:
    | { id: string, name: string, stats: { total: number, queued: number, sent: number, delivered: number, failed: number, blocked: number, canceled: number, giftsRedeemed: number }, sends: { totalCount: number, edges: Array<{ node: { status: SendStatus, statusReason: string | null, recipient: { id: string } | null } }> } }
    | Record<PropertyKey, never>
   | null };

export type ConfigureWebhookChannelMutationVariables = Exact<{
  input: ConfigureChannelInput;
}>;


export type ConfigureWebhookChannelMutation = { configureChannel: { id: string, webhookUrl: string } };

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

export const ChannelPluginsDocument = new TypedDocumentString(`
    query ChannelPlugins {
  channelPlugins {
    id
    channel
    displayName
    configSchema
    subprocessor {
      pluginId
      name
      legalEntity
      purpose
      location
      transferMechanism
      dataCategories
    }
  }
}
    `) as unknown as TypedDocumentString<ChannelPluginsQuery, ChannelPluginsQueryVariables>;
export const ConfigureChannelDocument = new TypedDocumentString(`
    mutation ConfigureChannel($input: ConfigureChannelInput!) {
  configureChannel(input: $input) {
    id
    channel
    priority
    enabled
    plugin {
      id
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<ConfigureChannelMutation, ConfigureChannelMutationVariables>;
export const TenantChannelsDocument = new TypedDocumentString(`
    query TenantChannels($id: ID!) {
  tenant(id: $id) {
    channels {
      id
      channel
      priority
      enabled
      plugin {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TenantChannelsQuery, TenantChannelsQueryVariables>;
export const ChannelWebhookUrlsDocument = new TypedDocumentString(`
    query ChannelWebhookUrls($id: ID!) {
  tenant(id: $id) {
    channels {
      plugin {
        id
      }
      webhookUrl
    }
  }
}
    `) as unknown as TypedDocumentString<ChannelWebhookUrlsQuery, ChannelWebhookUrlsQueryVariables>;
export const SubprocessorsDocument = new TypedDocumentString(`
    query Subprocessors($tenantId: ID!) {
  subprocessors(tenantId: $tenantId) {
    pluginId
    name
    legalEntity
    purpose
    location
    transferMechanism
    dataCategories
  }
}
    `) as unknown as TypedDocumentString<SubprocessorsQuery, SubprocessorsQueryVariables>;
export const ChannelAuditLogDocument = new TypedDocumentString(`
    query ChannelAuditLog($id: ID!) {
  tenant(id: $id) {
    auditLog(first: 100) {
      edges {
        node {
          action
          actor
          targetType
          targetId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChannelAuditLogQuery, ChannelAuditLogQueryVariables>;
export const ChannelNodeDocument = new TypedDocumentString(`
    query ChannelNode($id: ID!) {
  node(id: $id) {
    id
    ... on ChannelConfig {
      channel
      priority
      enabled
      plugin {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChannelNodeQuery, ChannelNodeQueryVariables>;
export const FaultsConfigureDocument = new TypedDocumentString(`
    mutation FaultsConfigure($input: ConfigureChannelInput!) {
  configureChannel(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<FaultsConfigureMutation, FaultsConfigureMutationVariables>;
export const FaultsSeedDocument = new TypedDocumentString(`
    mutation FaultsSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {
  definePurpose(
    input: {tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT}
  ) {
    key
  }
  upsertRecipients(input: {tenantId: $tenantId, recipients: $recipients}) {
    created
  }
}
    `) as unknown as TypedDocumentString<FaultsSeedMutation, FaultsSeedMutationVariables>;
export const FaultsCampaignDocument = new TypedDocumentString(`
    mutation FaultsCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<FaultsCampaignMutation, FaultsCampaignMutationVariables>;
export const FaultsStatsDocument = new TypedDocumentString(`
    query FaultsStats($id: ID!) {
  node(id: $id) {
    ... on Campaign {
      stats {
        total
        queued
        sent
        delivered
        failed
      }
      sends(first: 100) {
        edges {
          node {
            status
            statusReason
            provider
            attempts
            events {
              status
              provider
              detail
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FaultsStatsQuery, FaultsStatsQueryVariables>;
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
export const CreateWebhookEndpointDocument = new TypedDocumentString(`
    mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      id
      url
      description
      statuses
      giftStatuses
      enabled
    }
  }
}
    `) as unknown as TypedDocumentString<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const UpdateWebhookEndpointDocument = new TypedDocumentString(`
    mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    id
    url
    description
    statuses
    giftStatuses
  }
}
    `) as unknown as TypedDocumentString<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables>;
export const DisableWebhookEndpointDocument = new TypedDocumentString(`
    mutation DisableWebhookEndpoint($id: ID!) {
  disableWebhookEndpoint(id: $id) {
    id
    enabled
    disabledReason
    disabledAt
  }
}
    `) as unknown as TypedDocumentString<DisableWebhookEndpointMutation, DisableWebhookEndpointMutationVariables>;
export const EnableWebhookEndpointDocument = new TypedDocumentString(`
    mutation EnableWebhookEndpoint($id: ID!) {
  enableWebhookEndpoint(id: $id) {
    id
    enabled
    disabledReason
    consecutiveFailures
    failingSince
  }
}
    `) as unknown as TypedDocumentString<EnableWebhookEndpointMutation, EnableWebhookEndpointMutationVariables>;
export const DeleteWebhookEndpointDocument = new TypedDocumentString(`
    mutation DeleteWebhookEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) {
    secret
    endpoint {
      id
      previousSecretExpiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const SendTestWebhookDocument = new TypedDocumentString(`
    mutation SendTestWebhook($endpointId: ID!) {
  sendTestWebhook(endpointId: $endpointId) {
    id
    webhookId
    eventType
    status
  }
}
    `) as unknown as TypedDocumentString<SendTestWebhookMutation, SendTestWebhookMutationVariables>;
export const RedeliverWebhookDocument = new TypedDocumentString(`
    mutation RedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) {
    id
    status
    attemptCount
  }
}
    `) as unknown as TypedDocumentString<RedeliverWebhookMutation, RedeliverWebhookMutationVariables>;
export const TenantWebhookEndpointsDocument = new TypedDocumentString(`
    query TenantWebhookEndpoints($id: ID!) {
  tenant(id: $id) {
    webhookEndpoints {
      id
      url
      enabled
      disabledReason
      disabledAt
      lastSuccessAt
      lastFailureAt
      failingSince
      consecutiveFailures
    }
  }
}
    `) as unknown as TypedDocumentString<TenantWebhookEndpointsQuery, TenantWebhookEndpointsQueryVariables>;
export const WebhookDeliveriesDocument = new TypedDocumentString(`
    query WebhookDeliveries($id: ID!, $first: Int) {
  node(id: $id) {
    ... on WebhookEndpoint {
      deliveries(first: $first) {
        edges {
          node {
            id
            webhookId
            eventType
            payload
            status
            attemptCount
            nextAttemptAt
            lastAttemptAt
            attempts {
              at
              statusCode
              latencyMs
              error
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const WebhookAuditLogDocument = new TypedDocumentString(`
    query WebhookAuditLog($id: ID!) {
  tenant(id: $id) {
    auditLog(first: 100) {
      edges {
        node {
          action
          actor
          targetType
          targetId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WebhookAuditLogQuery, WebhookAuditLogQueryVariables>;
export const RecordSetupDocument = new TypedDocumentString(`
    mutation RecordSetup($tenantId: ID!) {
  definePurpose(
    input: {tenantId: $tenantId, key: "offers", legalBasis: CONSENT, description: "Offers | news"}
  ) {
    key
  }
  receipts: definePurpose(
    input: {tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT}
  ) {
    key
  }
  sms: configureChannel(
    input: {tenantId: $tenantId, pluginId: "dev-sms", config: {}}
  ) {
    id
  }
  upsertRecipient(
    input: {tenantId: $tenantId, externalId: "c-1", phone: "+46701234567"}
  ) {
    id
  }
  updateRetentionPolicy(input: {tenantId: $tenantId, sendDataDays: 14}) {
    sendDataDays
  }
}
    `) as unknown as TypedDocumentString<RecordSetupMutation, RecordSetupMutationVariables>;
export const ProcessingRecordReadDocument = new TypedDocumentString(`
    query ProcessingRecordRead($id: ID!) {
  tenant(id: $id) {
    processingRecord {
      generatedAt
      purposes {
        key
        legalBasis
        description
      }
      dataCategories {
        name
        description
      }
      subprocessors {
        pluginId
        legalEntity
        location
        transferMechanism
        dataCategories
      }
      retentionPolicy {
        sendDataDays
        inactiveRecipientDays
        auditLogDays
      }
      securityMeasures
      markdown
    }
  }
}
    `) as unknown as TypedDocumentString<ProcessingRecordReadQuery, ProcessingRecordReadQueryVariables>;
export const InboxSetupDocument = new TypedDocumentString(`
    mutation InboxSetup($tenantId: ID!) {
  definePurpose(
    input: {tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT}
  ) {
    key
  }
  configureChannel(input: {tenantId: $tenantId, pluginId: "dev-sms", config: {}}) {
    id
  }
  upsertRecipient(
    input: {tenantId: $tenantId, externalId: "r1", phone: "+46701234567"}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<InboxSetupMutation, InboxSetupMutationVariables>;
export const InboxSendDocument = new TypedDocumentString(`
    mutation InboxSend($input: CreateSendInput!) {
  createSend(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<InboxSendMutation, InboxSendMutationVariables>;
export const InboxReadDocument = new TypedDocumentString(`
    query InboxRead($id: ID!) {
  send(id: $id) {
    status
    events {
      status
      provider
      at
    }
  }
}
    `) as unknown as TypedDocumentString<InboxReadQuery, InboxReadQueryVariables>;
export const UpsertRecipientDocument = new TypedDocumentString(`
    mutation UpsertRecipient($input: UpsertRecipientInput!) {
  upsertRecipient(input: $input) {
    id
    externalId
    name
    phone
    email
    locale
    restricted
    objected
    consents {
      channel
      purpose
      granted
    }
  }
}
    `) as unknown as TypedDocumentString<UpsertRecipientMutation, UpsertRecipientMutationVariables>;
export const UpsertRecipientsDocument = new TypedDocumentString(`
    mutation UpsertRecipients($input: UpsertRecipientsInput!) {
  upsertRecipients(input: $input) {
    created
    updated
  }
}
    `) as unknown as TypedDocumentString<UpsertRecipientsMutation, UpsertRecipientsMutationVariables>;
export const GetRecipientDocument = new TypedDocumentString(`
    query GetRecipient($id: ID!) {
  recipient(id: $id) {
    id
    externalId
    name
    phone
    email
    tenant {
      name
    }
    consents {
      id
      channel
      purpose
      granted
      source
      proof
      recordedAt
      withdrawnAt
    }
  }
}
    `) as unknown as TypedDocumentString<GetRecipientQuery, GetRecipientQueryVariables>;
export const SearchRecipientsDocument = new TypedDocumentString(`
    query SearchRecipients($tenantId: ID!, $search: String, $first: Int, $after: String) {
  tenant(id: $tenantId) {
    recipients(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          externalId
          phone
          consents {
            channel
            purpose
            granted
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SearchRecipientsQuery, SearchRecipientsQueryVariables>;
export const RecordConsentDocument = new TypedDocumentString(`
    mutation RecordConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    id
    channel
    purpose
    granted
    source
    proof
    withdrawnAt
  }
}
    `) as unknown as TypedDocumentString<RecordConsentMutation, RecordConsentMutationVariables>;
export const WithdrawConsentDocument = new TypedDocumentString(`
    mutation WithdrawConsent($input: WithdrawConsentInput!) {
  withdrawConsent(input: $input) {
    id
    granted
    withdrawnAt
  }
}
    `) as unknown as TypedDocumentString<WithdrawConsentMutation, WithdrawConsentMutationVariables>;
export const DefinePurposeForRecipientsDocument = new TypedDocumentString(`
    mutation DefinePurposeForRecipients($input: DefinePurposeInput!) {
  definePurpose(input: $input) {
    key
  }
}
    `) as unknown as TypedDocumentString<DefinePurposeForRecipientsMutation, DefinePurposeForRecipientsMutationVariables>;
export const ScaleSetupDocument = new TypedDocumentString(`
    mutation ScaleSetup($tenantId: ID!, $sms: JSON!, $coupon: JSON!, $recipients: [RecipientItemInput!]!) {
  definePurpose(input: {tenantId: $tenantId, key: "offers", legalBasis: CONSENT}) {
    key
  }
  sms: configureChannel(
    input: {tenantId: $tenantId, pluginId: "sms-46elks", config: $sms}
  ) {
    id
  }
  coupon: configureChannel(
    input: {tenantId: $tenantId, pluginId: "coupon-clearon", config: $coupon}
  ) {
    id
    webhookUrl
  }
  upsertRecipients(input: {tenantId: $tenantId, recipients: $recipients}) {
    created
  }
}
    `) as unknown as TypedDocumentString<ScaleSetupMutation, ScaleSetupMutationVariables>;
export const ScaleRecipientsDocument = new TypedDocumentString(`
    query ScaleRecipients($tenantId: ID!) {
  tenant(id: $tenantId) {
    recipients(first: 100) {
      edges {
        node {
          id
          externalId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ScaleRecipientsQuery, ScaleRecipientsQueryVariables>;
export const ScaleConsentDocument = new TypedDocumentString(`
    mutation ScaleConsent($recipientId: ID!) {
  recordConsent(
    input: {recipientId: $recipientId, channel: SMS, purpose: "offers", source: "test"}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<ScaleConsentMutation, ScaleConsentMutationVariables>;
export const ScaleSendDocument = new TypedDocumentString(`
    mutation ScaleSend($input: CreateSendInput!) {
  createSend(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ScaleSendMutation, ScaleSendMutationVariables>;
export const ScaleReadSendDocument = new TypedDocumentString(`
    query ScaleReadSend($id: ID!) {
  send(id: $id) {
    status
    provider
    events {
      status
    }
    gift {
      provider
      status
      code
    }
  }
}
    `) as unknown as TypedDocumentString<ScaleReadSendQuery, ScaleReadSendQueryVariables>;
export const ScaleCampaignDocument = new TypedDocumentString(`
    mutation ScaleCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<ScaleCampaignMutation, ScaleCampaignMutationVariables>;
export const ScaleStatsDocument = new TypedDocumentString(`
    query ScaleStats($id: ID!) {
  node(id: $id) {
    ... on Campaign {
      stats {
        total
        queued
        sent
        delivered
        failed
        blocked
        giftsRedeemed
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ScaleStatsQuery, ScaleStatsQueryVariables>;
export const RetentionSetupDocument = new TypedDocumentString(`
    mutation RetentionSetup($tenantId: ID!) {
  definePurpose(input: {tenantId: $tenantId, key: "offers", legalBasis: CONTRACT}) {
    key
  }
  sms: configureChannel(
    input: {tenantId: $tenantId, pluginId: "dev-sms", config: {}}
  ) {
    id
  }
  coupon: configureChannel(
    input: {tenantId: $tenantId, pluginId: "dev-coupon", config: {}}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<RetentionSetupMutation, RetentionSetupMutationVariables>;
export const RetentionRecipientDocument = new TypedDocumentString(`
    mutation RetentionRecipient($tenantId: ID!, $externalId: String!, $phone: String!) {
  upsertRecipient(
    input: {tenantId: $tenantId, externalId: $externalId, phone: $phone, name: "Anna"}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<RetentionRecipientMutation, RetentionRecipientMutationVariables>;
export const RetentionConsentDocument = new TypedDocumentString(`
    mutation RetentionConsent($recipientId: ID!) {
  recordConsent(
    input: {recipientId: $recipientId, channel: SMS, purpose: "offers", source: "form", proof: "v1"}
  ) {
    granted
  }
}
    `) as unknown as TypedDocumentString<RetentionConsentMutation, RetentionConsentMutationVariables>;
export const RetentionSendDocument = new TypedDocumentString(`
    mutation RetentionSend($recipientId: ID!) {
  createSend(
    input: {recipientId: $recipientId, channel: SMS, purpose: "offers", message: {body: "Code {{gift.code}}"}, gift: {offerId: "coffee"}}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<RetentionSendMutation, RetentionSendMutationVariables>;
export const RetentionCampaignDocument = new TypedDocumentString(`
    mutation RetentionCampaign($tenantId: ID!, $recipientIds: [ID!]!) {
  createCampaign(
    input: {tenantId: $tenantId, name: "Spring", channel: SMS, purpose: "offers", message: {body: "Hi {{name}}"}, recipientIds: $recipientIds}
  ) {
    id
  }
}
    `) as unknown as TypedDocumentString<RetentionCampaignMutation, RetentionCampaignMutationVariables>;
export const RetentionReadSendDocument = new TypedDocumentString(`
    query RetentionReadSend($id: ID!) {
  send(id: $id) {
    status
    channel
    createdAt
    contentErasedAt
    events {
      status
    }
    gift {
      status
      offerId
      code
      url
    }
    recipient {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RetentionReadSendQuery, RetentionReadSendQueryVariables>;
export const RetentionReadCampaignDocument = new TypedDocumentString(`
    query RetentionReadCampaign($id: ID!) {
  node(id: $id) {
    ... on Campaign {
      contentErasedAt
      stats {
        total
        delivered
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RetentionReadCampaignQuery, RetentionReadCampaignQueryVariables>;
export const RetentionReadRecipientDocument = new TypedDocumentString(`
    query RetentionReadRecipient($id: ID!) {
  recipient(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<RetentionReadRecipientQuery, RetentionReadRecipientQueryVariables>;
export const RetentionPolicyReadDocument = new TypedDocumentString(`
    query RetentionPolicyRead($id: ID!) {
  tenant(id: $id) {
    retentionPolicy {
      sendDataDays
      inactiveRecipientDays
      auditLogDays
    }
  }
}
    `) as unknown as TypedDocumentString<RetentionPolicyReadQuery, RetentionPolicyReadQueryVariables>;
export const RetentionPolicyUpdateDocument = new TypedDocumentString(`
    mutation RetentionPolicyUpdate($input: UpdateRetentionPolicyInput!) {
  updateRetentionPolicy(input: $input) {
    sendDataDays
    inactiveRecipientDays
    auditLogDays
  }
}
    `) as unknown as TypedDocumentString<RetentionPolicyUpdateMutation, RetentionPolicyUpdateMutationVariables>;
export const RetentionAuditDocument = new TypedDocumentString(`
    query RetentionAudit($id: ID!) {
  tenant(id: $id) {
    auditLog(first: 100) {
      edges {
        node {
          action
          actor
          targetType
          targetId
          detail
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RetentionAuditQuery, RetentionAuditQueryVariables>;
export const ReadingSeedDocument = new TypedDocumentString(`
    mutation ReadingSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {
  definePurpose(
    input: {tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT}
  ) {
    key
  }
  sms: configureChannel(
    input: {tenantId: $tenantId, pluginId: "dev-sms", config: {}}
  ) {
    id
  }
  coupon: configureChannel(
    input: {tenantId: $tenantId, pluginId: "dev-coupon", config: {}}
  ) {
    id
  }
  upsertRecipients(input: {tenantId: $tenantId, recipients: $recipients}) {
    created
  }
}
    `) as unknown as TypedDocumentString<ReadingSeedMutation, ReadingSeedMutationVariables>;
export const ReadingCampaignDocument = new TypedDocumentString(`
    mutation ReadingCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<ReadingCampaignMutation, ReadingCampaignMutationVariables>;
export const ReadingSendsDocument = new TypedDocumentString(`
    query ReadingSends($tenantId: ID!, $first: Int!, $campaignId: ID, $status: SendStatus) {
  tenant(id: $tenantId) {
    sends(first: $first, campaignId: $campaignId, status: $status) {
      totalCount
      edges {
        node {
          id
          status
          provider
          providerMessageId
          recipient {
            id
            locale
          }
          campaign {
            name
            stats {
              total
              delivered
              giftsRedeemed
            }
          }
          gift {
            provider
            status
            code
          }
          events {
            status
            at
            provider
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReadingSendsQuery, ReadingSendsQueryVariables>;
export const ReadingCampaignsDocument = new TypedDocumentString(`
    query ReadingCampaigns($tenantId: ID!, $first: Int!) {
  tenant(id: $tenantId) {
    campaigns(first: $first) {
      edges {
        node {
          id
          name
          stats {
            total
            queued
            delivered
            giftsRedeemed
          }
          sends(first: 3) {
            totalCount
            edges {
              node {
                status
              }
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReadingCampaignsQuery, ReadingCampaignsQueryVariables>;
export const ReadingRecipientSendsDocument = new TypedDocumentString(`
    query ReadingRecipientSends($id: ID!) {
  recipient(id: $id) {
    sends(first: 10) {
      totalCount
      edges {
        node {
          status
          campaign {
            name
          }
          events {
            status
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReadingRecipientSendsQuery, ReadingRecipientSendsQueryVariables>;
export const SendsDefinePurposeDocument = new TypedDocumentString(`
    mutation SendsDefinePurpose($input: DefinePurposeInput!) {
  definePurpose(input: $input) {
    key
  }
}
    `) as unknown as TypedDocumentString<SendsDefinePurposeMutation, SendsDefinePurposeMutationVariables>;
export const SendsConfigureDocument = new TypedDocumentString(`
    mutation SendsConfigure($input: ConfigureChannelInput!) {
  configureChannel(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendsConfigureMutation, SendsConfigureMutationVariables>;
export const SendsUpsertDocument = new TypedDocumentString(`
    mutation SendsUpsert($input: UpsertRecipientInput!) {
  upsertRecipient(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendsUpsertMutation, SendsUpsertMutationVariables>;
export const SendsConsentDocument = new TypedDocumentString(`
    mutation SendsConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendsConsentMutation, SendsConsentMutationVariables>;
export const SendsWithdrawDocument = new TypedDocumentString(`
    mutation SendsWithdraw($input: WithdrawConsentInput!) {
  withdrawConsent(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendsWithdrawMutation, SendsWithdrawMutationVariables>;
export const SendsCreateDocument = new TypedDocumentString(`
    mutation SendsCreate($input: CreateSendInput!) {
  createSend(input: $input) {
    id
    status
    idempotencyKey
    scheduledAt
    channel
    purpose
    recipient {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<SendsCreateMutation, SendsCreateMutationVariables>;
export const SendsCancelDocument = new TypedDocumentString(`
    mutation SendsCancel($id: ID!) {
  cancelSend(id: $id) {
    id
    status
    statusReason
  }
}
    `) as unknown as TypedDocumentString<SendsCancelMutation, SendsCancelMutationVariables>;
export const SendsReadDocument = new TypedDocumentString(`
    query SendsRead($id: ID!) {
  send(id: $id) {
    id
    status
    statusReason
    provider
    providerMessageId
    attempts
    events {
      status
      at
      provider
      detail
    }
    gift {
      id
      provider
      offerId
      code
      url
      status
      redeemedAt
    }
  }
}
    `) as unknown as TypedDocumentString<SendsReadQuery, SendsReadQueryVariables>;
export const SendsCampaignDocument = new TypedDocumentString(`
    mutation SendsCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    id
    name
    channel
    purpose
    stats {
      total
      queued
      blocked
      failed
    }
  }
}
    `) as unknown as TypedDocumentString<SendsCampaignMutation, SendsCampaignMutationVariables>;
export const SendsReadCampaignDocument = new TypedDocumentString(`
    query SendsReadCampaign($id: ID!) {
  node(id: $id) {
    ... on Campaign {
      id
      name
      stats {
        total
        queued
        sent
        delivered
        failed
        blocked
        canceled
        giftsRedeemed
      }
      sends(first: 10) {
        totalCount
        edges {
          node {
            status
            statusReason
            recipient {
              id
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SendsReadCampaignQuery, SendsReadCampaignQueryVariables>;
export const ConfigureWebhookChannelDocument = new TypedDocumentString(`
    mutation ConfigureWebhookChannel($input: ConfigureChannelInput!) {
  configureChannel(input: $input) {
    id
    webhookUrl
  }
}
    `) as unknown as TypedDocumentString<ConfigureWebhookChannelMutation, ConfigureWebhookChannelMutationVariables>;