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
    "\n  query ChannelPlugins {\n    channelPlugins {\n      id channel displayName configSchema\n      subprocessor { pluginId name legalEntity purpose location transferMechanism dataCategories }\n    }\n  }\n": typeof types.ChannelPluginsDocument,
    "\n  mutation ConfigureChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id channel priority enabled plugin { id displayName } }\n  }\n": typeof types.ConfigureChannelDocument,
    "\n  query TenantChannels($id: ID!) {\n    tenant(id: $id) { channels { id channel priority enabled plugin { id } } }\n  }\n": typeof types.TenantChannelsDocument,
    "\n  query ChannelWebhookUrls($id: ID!) {\n    tenant(id: $id) { channels { plugin { id } webhookUrl } }\n  }\n": typeof types.ChannelWebhookUrlsDocument,
    "\n  query Subprocessors($tenantId: ID!) {\n    subprocessors(tenantId: $tenantId) { pluginId name legalEntity purpose location transferMechanism dataCategories }\n  }\n": typeof types.SubprocessorsDocument,
    "\n  query ChannelAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n": typeof types.ChannelAuditLogDocument,
    "\n  query ChannelNode($id: ID!) {\n    node(id: $id) { id ... on ChannelConfig { channel priority enabled plugin { id } } }\n  }\n": typeof types.ChannelNodeDocument,
    "\n  mutation FaultsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n": typeof types.FaultsConfigureDocument,
    "\n  mutation FaultsSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": typeof types.FaultsSeedDocument,
    "\n  mutation FaultsCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": typeof types.FaultsCampaignDocument,
    "\n  query FaultsStats($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        stats { total queued sent delivered failed }\n        sends(first: 100) { edges { node { status statusReason provider attempts events { status provider detail } } } }\n      }\n    }\n  }\n": typeof types.FaultsStatsDocument,
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
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { id url description statuses giftStatuses enabled } }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) { id url description statuses giftStatuses }\n  }\n": typeof types.UpdateWebhookEndpointDocument,
    "\n  mutation DisableWebhookEndpoint($id: ID!) { disableWebhookEndpoint(id: $id) { id enabled disabledReason disabledAt } }\n": typeof types.DisableWebhookEndpointDocument,
    "\n  mutation EnableWebhookEndpoint($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled disabledReason consecutiveFailures failingSince } }\n": typeof types.EnableWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) }\n": typeof types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {\n    rotateWebhookSecret(input: $input) { secret endpoint { id previousSecretExpiresAt } }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { id webhookId eventType status } }\n": typeof types.SendTestWebhookDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status attemptCount } }\n": typeof types.RedeliverWebhookDocument,
    "\n  query TenantWebhookEndpoints($id: ID!) {\n    tenant(id: $id) {\n      webhookEndpoints {\n        id url enabled disabledReason disabledAt lastSuccessAt lastFailureAt failingSince consecutiveFailures\n      }\n    }\n  }\n": typeof types.TenantWebhookEndpointsDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int) {\n    node(id: $id) {\n      ... on WebhookEndpoint {\n        deliveries(first: $first) {\n          edges { node { id webhookId eventType payload status attemptCount nextAttemptAt lastAttemptAt attempts { at statusCode latencyMs error } } }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  query WebhookAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n": typeof types.WebhookAuditLogDocument,
    "\n  mutation RecordSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT, description: \"Offers | news\" }) { key }\n    receipts: definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"c-1\", phone: \"+46701234567\" }) { id }\n    updateRetentionPolicy(input: { tenantId: $tenantId, sendDataDays: 14 }) { sendDataDays }\n  }\n": typeof types.RecordSetupDocument,
    "\n  query ProcessingRecordRead($id: ID!) {\n    tenant(id: $id) {\n      processingRecord {\n        generatedAt\n        purposes { key legalBasis description }\n        dataCategories { name description }\n        subprocessors { pluginId legalEntity location transferMechanism dataCategories }\n        retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays }\n        securityMeasures\n        markdown\n      }\n    }\n  }\n": typeof types.ProcessingRecordReadDocument,
    "\n  mutation InboxSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"r1\", phone: \"+46701234567\" }) { id }\n  }\n": typeof types.InboxSetupDocument,
    "\n  mutation InboxSend($input: CreateSendInput!) { createSend(input: $input) { id } }\n": typeof types.InboxSendDocument,
    "\n  query InboxRead($id: ID!) { send(id: $id) { status events { status provider at } } }\n": typeof types.InboxReadDocument,
    "\n  mutation UpsertRecipient($input: UpsertRecipientInput!) {\n    upsertRecipient(input: $input) { id externalId name phone email locale restricted objected consents { channel purpose granted } }\n  }\n": typeof types.UpsertRecipientDocument,
    "\n  mutation UpsertRecipients($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created updated } }\n": typeof types.UpsertRecipientsDocument,
    "\n  query GetRecipient($id: ID!) {\n    recipient(id: $id) { id externalId name phone email tenant { name } consents { id channel purpose granted source proof recordedAt withdrawnAt } }\n  }\n": typeof types.GetRecipientDocument,
    "\n  query SearchRecipients($tenantId: ID!, $search: String, $first: Int, $after: String) {\n    tenant(id: $tenantId) {\n      recipients(search: $search, first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id externalId phone consents { channel purpose granted } } }\n      }\n    }\n  }\n": typeof types.SearchRecipientsDocument,
    "\n  mutation RecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id channel purpose granted source proof withdrawnAt } }\n": typeof types.RecordConsentDocument,
    "\n  mutation WithdrawConsent($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id granted withdrawnAt } }\n": typeof types.WithdrawConsentDocument,
    "\n  mutation DefinePurposeForRecipients($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n": typeof types.DefinePurposeForRecipientsDocument,
    "\n  mutation ScaleSetup($tenantId: ID!, $sms: JSON!, $coupon: JSON!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"sms-46elks\", config: $sms }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"coupon-clearon\", config: $coupon }) { id webhookUrl }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": typeof types.ScaleSetupDocument,
    "\n  query ScaleRecipients($tenantId: ID!) { tenant(id: $tenantId) { recipients(first: 100) { edges { node { id externalId } } } } }\n": typeof types.ScaleRecipientsDocument,
    "\n  mutation ScaleConsent($recipientId: ID!) { recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"test\" }) { id } }\n": typeof types.ScaleConsentDocument,
    "\n  mutation ScaleSend($input: CreateSendInput!) { createSend(input: $input) { id status } }\n": typeof types.ScaleSendDocument,
    "\n  query ScaleReadSend($id: ID!) { send(id: $id) { status provider events { status } gift { provider status code } } }\n": typeof types.ScaleReadSendDocument,
    "\n  mutation ScaleCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": typeof types.ScaleCampaignDocument,
    "\n  query ScaleStats($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed blocked giftsRedeemed } } } }\n": typeof types.ScaleStatsDocument,
    "\n  mutation RetentionSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n  }\n": typeof types.RetentionSetupDocument,
    "\n  mutation RetentionRecipient($tenantId: ID!, $externalId: String!, $phone: String!) {\n    upsertRecipient(input: { tenantId: $tenantId, externalId: $externalId, phone: $phone, name: \"Anna\" }) { id }\n  }\n": typeof types.RetentionRecipientDocument,
    "\n  mutation RetentionConsent($recipientId: ID!) {\n    recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"form\", proof: \"v1\" }) { granted }\n  }\n": typeof types.RetentionConsentDocument,
    "\n  mutation RetentionSend($recipientId: ID!) {\n    createSend(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", message: { body: \"Code {{gift.code}}\" }, gift: { offerId: \"coffee\" } }) { id }\n  }\n": typeof types.RetentionSendDocument,
    "\n  mutation RetentionCampaign($tenantId: ID!, $recipientIds: [ID!]!) {\n    createCampaign(input: { tenantId: $tenantId, name: \"Spring\", channel: SMS, purpose: \"offers\", message: { body: \"Hi {{name}}\" }, recipientIds: $recipientIds }) { id }\n  }\n": typeof types.RetentionCampaignDocument,
    "\n  query RetentionReadSend($id: ID!) {\n    send(id: $id) { status channel createdAt contentErasedAt events { status } gift { status offerId code url } recipient { id } }\n  }\n": typeof types.RetentionReadSendDocument,
    "\n  query RetentionReadCampaign($id: ID!) {\n    node(id: $id) { ... on Campaign { contentErasedAt stats { total delivered } } }\n  }\n": typeof types.RetentionReadCampaignDocument,
    "\n  query RetentionReadRecipient($id: ID!) { recipient(id: $id) { id } }\n": typeof types.RetentionReadRecipientDocument,
    "\n  query RetentionPolicyRead($id: ID!) { tenant(id: $id) { retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays } } }\n": typeof types.RetentionPolicyReadDocument,
    "\n  mutation RetentionPolicyUpdate($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) { sendDataDays inactiveRecipientDays auditLogDays }\n  }\n": typeof types.RetentionPolicyUpdateDocument,
    "\n  query RetentionAudit($id: ID!) { tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId detail } } } } }\n": typeof types.RetentionAuditDocument,
    "\n  mutation ReadingSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": typeof types.ReadingSeedDocument,
    "\n  mutation ReadingCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": typeof types.ReadingCampaignDocument,
    "\n  query ReadingSends($tenantId: ID!, $first: Int!, $campaignId: ID, $status: SendStatus) {\n    tenant(id: $tenantId) {\n      sends(first: $first, campaignId: $campaignId, status: $status) {\n        totalCount\n        edges {\n          node {\n            id status provider providerMessageId\n            recipient { id locale }\n            campaign { name stats { total delivered giftsRedeemed } }\n            gift { provider status code }\n            events { status at provider }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ReadingSendsDocument,
    "\n  query ReadingCampaigns($tenantId: ID!, $first: Int!) {\n    tenant(id: $tenantId) {\n      campaigns(first: $first) {\n        edges { node { id name stats { total queued delivered giftsRedeemed } sends(first: 3) { totalCount edges { node { status } } } } }\n      }\n    }\n  }\n": typeof types.ReadingCampaignsDocument,
    "\n  query ReadingRecipientSends($id: ID!) {\n    recipient(id: $id) { sends(first: 10) { totalCount edges { node { status campaign { name } events { status } } } } }\n  }\n": typeof types.ReadingRecipientSendsDocument,
    "\n  mutation SendsDefinePurpose($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n": typeof types.SendsDefinePurposeDocument,
    "\n  mutation SendsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n": typeof types.SendsConfigureDocument,
    "\n  mutation SendsUpsert($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }\n": typeof types.SendsUpsertDocument,
    "\n  mutation SendsConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id } }\n": typeof types.SendsConsentDocument,
    "\n  mutation SendsWithdraw($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }\n": typeof types.SendsWithdrawDocument,
    "\n  mutation SendsCreate($input: CreateSendInput!) {\n    createSend(input: $input) { id status idempotencyKey scheduledAt channel purpose recipient { id } }\n  }\n": typeof types.SendsCreateDocument,
    "\n  mutation SendsCancel($id: ID!) { cancelSend(id: $id) { id status statusReason } }\n": typeof types.SendsCancelDocument,
    "\n  query SendsRead($id: ID!) {\n    send(id: $id) {\n      id status statusReason provider providerMessageId attempts\n      events { status at provider detail }\n      gift { id provider offerId code url status redeemedAt }\n    }\n  }\n": typeof types.SendsReadDocument,
    "\n  mutation SendsCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) { id name channel purpose stats { total queued blocked failed } }\n  }\n": typeof types.SendsCampaignDocument,
    "\n  query SendsReadCampaign($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        id name\n        stats { total queued sent delivered failed blocked canceled giftsRedeemed }\n        sends(first: 10) { totalCount edges { node { status statusReason recipient { id } } } }\n      }\n    }\n  }\n": typeof types.SendsReadCampaignDocument,
    "\n  mutation ConfigureWebhookChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id webhookUrl }\n  }\n": typeof types.ConfigureWebhookChannelDocument,
};
const documents: Documents = {
    "\n  query ChannelPlugins {\n    channelPlugins {\n      id channel displayName configSchema\n      subprocessor { pluginId name legalEntity purpose location transferMechanism dataCategories }\n    }\n  }\n": types.ChannelPluginsDocument,
    "\n  mutation ConfigureChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id channel priority enabled plugin { id displayName } }\n  }\n": types.ConfigureChannelDocument,
    "\n  query TenantChannels($id: ID!) {\n    tenant(id: $id) { channels { id channel priority enabled plugin { id } } }\n  }\n": types.TenantChannelsDocument,
    "\n  query ChannelWebhookUrls($id: ID!) {\n    tenant(id: $id) { channels { plugin { id } webhookUrl } }\n  }\n": types.ChannelWebhookUrlsDocument,
    "\n  query Subprocessors($tenantId: ID!) {\n    subprocessors(tenantId: $tenantId) { pluginId name legalEntity purpose location transferMechanism dataCategories }\n  }\n": types.SubprocessorsDocument,
    "\n  query ChannelAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n": types.ChannelAuditLogDocument,
    "\n  query ChannelNode($id: ID!) {\n    node(id: $id) { id ... on ChannelConfig { channel priority enabled plugin { id } } }\n  }\n": types.ChannelNodeDocument,
    "\n  mutation FaultsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n": types.FaultsConfigureDocument,
    "\n  mutation FaultsSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": types.FaultsSeedDocument,
    "\n  mutation FaultsCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": types.FaultsCampaignDocument,
    "\n  query FaultsStats($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        stats { total queued sent delivered failed }\n        sends(first: 100) { edges { node { status statusReason provider attempts events { status provider detail } } } }\n      }\n    }\n  }\n": types.FaultsStatsDocument,
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
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { id url description statuses giftStatuses enabled } }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) { id url description statuses giftStatuses }\n  }\n": types.UpdateWebhookEndpointDocument,
    "\n  mutation DisableWebhookEndpoint($id: ID!) { disableWebhookEndpoint(id: $id) { id enabled disabledReason disabledAt } }\n": types.DisableWebhookEndpointDocument,
    "\n  mutation EnableWebhookEndpoint($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled disabledReason consecutiveFailures failingSince } }\n": types.EnableWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) }\n": types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {\n    rotateWebhookSecret(input: $input) { secret endpoint { id previousSecretExpiresAt } }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { id webhookId eventType status } }\n": types.SendTestWebhookDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status attemptCount } }\n": types.RedeliverWebhookDocument,
    "\n  query TenantWebhookEndpoints($id: ID!) {\n    tenant(id: $id) {\n      webhookEndpoints {\n        id url enabled disabledReason disabledAt lastSuccessAt lastFailureAt failingSince consecutiveFailures\n      }\n    }\n  }\n": types.TenantWebhookEndpointsDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int) {\n    node(id: $id) {\n      ... on WebhookEndpoint {\n        deliveries(first: $first) {\n          edges { node { id webhookId eventType payload status attemptCount nextAttemptAt lastAttemptAt attempts { at statusCode latencyMs error } } }\n        }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  query WebhookAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n": types.WebhookAuditLogDocument,
    "\n  mutation RecordSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT, description: \"Offers | news\" }) { key }\n    receipts: definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"c-1\", phone: \"+46701234567\" }) { id }\n    updateRetentionPolicy(input: { tenantId: $tenantId, sendDataDays: 14 }) { sendDataDays }\n  }\n": types.RecordSetupDocument,
    "\n  query ProcessingRecordRead($id: ID!) {\n    tenant(id: $id) {\n      processingRecord {\n        generatedAt\n        purposes { key legalBasis description }\n        dataCategories { name description }\n        subprocessors { pluginId legalEntity location transferMechanism dataCategories }\n        retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays }\n        securityMeasures\n        markdown\n      }\n    }\n  }\n": types.ProcessingRecordReadDocument,
    "\n  mutation InboxSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"r1\", phone: \"+46701234567\" }) { id }\n  }\n": types.InboxSetupDocument,
    "\n  mutation InboxSend($input: CreateSendInput!) { createSend(input: $input) { id } }\n": types.InboxSendDocument,
    "\n  query InboxRead($id: ID!) { send(id: $id) { status events { status provider at } } }\n": types.InboxReadDocument,
    "\n  mutation UpsertRecipient($input: UpsertRecipientInput!) {\n    upsertRecipient(input: $input) { id externalId name phone email locale restricted objected consents { channel purpose granted } }\n  }\n": types.UpsertRecipientDocument,
    "\n  mutation UpsertRecipients($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created updated } }\n": types.UpsertRecipientsDocument,
    "\n  query GetRecipient($id: ID!) {\n    recipient(id: $id) { id externalId name phone email tenant { name } consents { id channel purpose granted source proof recordedAt withdrawnAt } }\n  }\n": types.GetRecipientDocument,
    "\n  query SearchRecipients($tenantId: ID!, $search: String, $first: Int, $after: String) {\n    tenant(id: $tenantId) {\n      recipients(search: $search, first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id externalId phone consents { channel purpose granted } } }\n      }\n    }\n  }\n": types.SearchRecipientsDocument,
    "\n  mutation RecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id channel purpose granted source proof withdrawnAt } }\n": types.RecordConsentDocument,
    "\n  mutation WithdrawConsent($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id granted withdrawnAt } }\n": types.WithdrawConsentDocument,
    "\n  mutation DefinePurposeForRecipients($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n": types.DefinePurposeForRecipientsDocument,
    "\n  mutation ScaleSetup($tenantId: ID!, $sms: JSON!, $coupon: JSON!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"sms-46elks\", config: $sms }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"coupon-clearon\", config: $coupon }) { id webhookUrl }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": types.ScaleSetupDocument,
    "\n  query ScaleRecipients($tenantId: ID!) { tenant(id: $tenantId) { recipients(first: 100) { edges { node { id externalId } } } } }\n": types.ScaleRecipientsDocument,
    "\n  mutation ScaleConsent($recipientId: ID!) { recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"test\" }) { id } }\n": types.ScaleConsentDocument,
    "\n  mutation ScaleSend($input: CreateSendInput!) { createSend(input: $input) { id status } }\n": types.ScaleSendDocument,
    "\n  query ScaleReadSend($id: ID!) { send(id: $id) { status provider events { status } gift { provider status code } } }\n": types.ScaleReadSendDocument,
    "\n  mutation ScaleCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": types.ScaleCampaignDocument,
    "\n  query ScaleStats($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed blocked giftsRedeemed } } } }\n": types.ScaleStatsDocument,
    "\n  mutation RetentionSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n  }\n": types.RetentionSetupDocument,
    "\n  mutation RetentionRecipient($tenantId: ID!, $externalId: String!, $phone: String!) {\n    upsertRecipient(input: { tenantId: $tenantId, externalId: $externalId, phone: $phone, name: \"Anna\" }) { id }\n  }\n": types.RetentionRecipientDocument,
    "\n  mutation RetentionConsent($recipientId: ID!) {\n    recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"form\", proof: \"v1\" }) { granted }\n  }\n": types.RetentionConsentDocument,
    "\n  mutation RetentionSend($recipientId: ID!) {\n    createSend(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", message: { body: \"Code {{gift.code}}\" }, gift: { offerId: \"coffee\" } }) { id }\n  }\n": types.RetentionSendDocument,
    "\n  mutation RetentionCampaign($tenantId: ID!, $recipientIds: [ID!]!) {\n    createCampaign(input: { tenantId: $tenantId, name: \"Spring\", channel: SMS, purpose: \"offers\", message: { body: \"Hi {{name}}\" }, recipientIds: $recipientIds }) { id }\n  }\n": types.RetentionCampaignDocument,
    "\n  query RetentionReadSend($id: ID!) {\n    send(id: $id) { status channel createdAt contentErasedAt events { status } gift { status offerId code url } recipient { id } }\n  }\n": types.RetentionReadSendDocument,
    "\n  query RetentionReadCampaign($id: ID!) {\n    node(id: $id) { ... on Campaign { contentErasedAt stats { total delivered } } }\n  }\n": types.RetentionReadCampaignDocument,
    "\n  query RetentionReadRecipient($id: ID!) { recipient(id: $id) { id } }\n": types.RetentionReadRecipientDocument,
    "\n  query RetentionPolicyRead($id: ID!) { tenant(id: $id) { retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays } } }\n": types.RetentionPolicyReadDocument,
    "\n  mutation RetentionPolicyUpdate($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) { sendDataDays inactiveRecipientDays auditLogDays }\n  }\n": types.RetentionPolicyUpdateDocument,
    "\n  query RetentionAudit($id: ID!) { tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId detail } } } } }\n": types.RetentionAuditDocument,
    "\n  mutation ReadingSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n": types.ReadingSeedDocument,
    "\n  mutation ReadingCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n": types.ReadingCampaignDocument,
    "\n  query ReadingSends($tenantId: ID!, $first: Int!, $campaignId: ID, $status: SendStatus) {\n    tenant(id: $tenantId) {\n      sends(first: $first, campaignId: $campaignId, status: $status) {\n        totalCount\n        edges {\n          node {\n            id status provider providerMessageId\n            recipient { id locale }\n            campaign { name stats { total delivered giftsRedeemed } }\n            gift { provider status code }\n            events { status at provider }\n          }\n        }\n      }\n    }\n  }\n": types.ReadingSendsDocument,
    "\n  query ReadingCampaigns($tenantId: ID!, $first: Int!) {\n    tenant(id: $tenantId) {\n      campaigns(first: $first) {\n        edges { node { id name stats { total queued delivered giftsRedeemed } sends(first: 3) { totalCount edges { node { status } } } } }\n      }\n    }\n  }\n": types.ReadingCampaignsDocument,
    "\n  query ReadingRecipientSends($id: ID!) {\n    recipient(id: $id) { sends(first: 10) { totalCount edges { node { status campaign { name } events { status } } } } }\n  }\n": types.ReadingRecipientSendsDocument,
    "\n  mutation SendsDefinePurpose($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n": types.SendsDefinePurposeDocument,
    "\n  mutation SendsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n": types.SendsConfigureDocument,
    "\n  mutation SendsUpsert($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }\n": types.SendsUpsertDocument,
    "\n  mutation SendsConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id } }\n": types.SendsConsentDocument,
    "\n  mutation SendsWithdraw($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }\n": types.SendsWithdrawDocument,
    "\n  mutation SendsCreate($input: CreateSendInput!) {\n    createSend(input: $input) { id status idempotencyKey scheduledAt channel purpose recipient { id } }\n  }\n": types.SendsCreateDocument,
    "\n  mutation SendsCancel($id: ID!) { cancelSend(id: $id) { id status statusReason } }\n": types.SendsCancelDocument,
    "\n  query SendsRead($id: ID!) {\n    send(id: $id) {\n      id status statusReason provider providerMessageId attempts\n      events { status at provider detail }\n      gift { id provider offerId code url status redeemedAt }\n    }\n  }\n": types.SendsReadDocument,
    "\n  mutation SendsCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) { id name channel purpose stats { total queued blocked failed } }\n  }\n": types.SendsCampaignDocument,
    "\n  query SendsReadCampaign($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        id name\n        stats { total queued sent delivered failed blocked canceled giftsRedeemed }\n        sends(first: 10) { totalCount edges { node { status statusReason recipient { id } } } }\n      }\n    }\n  }\n": types.SendsReadCampaignDocument,
    "\n  mutation ConfigureWebhookChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id webhookUrl }\n  }\n": types.ConfigureWebhookChannelDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelPlugins {\n    channelPlugins {\n      id channel displayName configSchema\n      subprocessor { pluginId name legalEntity purpose location transferMechanism dataCategories }\n    }\n  }\n"): typeof import('./graphql').ChannelPluginsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfigureChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id channel priority enabled plugin { id displayName } }\n  }\n"): typeof import('./graphql').ConfigureChannelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantChannels($id: ID!) {\n    tenant(id: $id) { channels { id channel priority enabled plugin { id } } }\n  }\n"): typeof import('./graphql').TenantChannelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelWebhookUrls($id: ID!) {\n    tenant(id: $id) { channels { plugin { id } webhookUrl } }\n  }\n"): typeof import('./graphql').ChannelWebhookUrlsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Subprocessors($tenantId: ID!) {\n    subprocessors(tenantId: $tenantId) { pluginId name legalEntity purpose location transferMechanism dataCategories }\n  }\n"): typeof import('./graphql').SubprocessorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n"): typeof import('./graphql').ChannelAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelNode($id: ID!) {\n    node(id: $id) { id ... on ChannelConfig { channel priority enabled plugin { id } } }\n  }\n"): typeof import('./graphql').ChannelNodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FaultsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n"): typeof import('./graphql').FaultsConfigureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FaultsSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n"): typeof import('./graphql').FaultsSeedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FaultsCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n"): typeof import('./graphql').FaultsCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FaultsStats($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        stats { total queued sent delivered failed }\n        sends(first: 100) { edges { node { status statusReason provider attempts events { status provider detail } } } }\n      }\n    }\n  }\n"): typeof import('./graphql').FaultsStatsDocument;
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { id url description statuses giftStatuses enabled } }\n  }\n"): typeof import('./graphql').CreateWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) { id url description statuses giftStatuses }\n  }\n"): typeof import('./graphql').UpdateWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableWebhookEndpoint($id: ID!) { disableWebhookEndpoint(id: $id) { id enabled disabledReason disabledAt } }\n"): typeof import('./graphql').DisableWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableWebhookEndpoint($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled disabledReason consecutiveFailures failingSince } }\n"): typeof import('./graphql').EnableWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) }\n"): typeof import('./graphql').DeleteWebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {\n    rotateWebhookSecret(input: $input) { secret endpoint { id previousSecretExpiresAt } }\n  }\n"): typeof import('./graphql').RotateWebhookSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhook($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { id webhookId eventType status } }\n"): typeof import('./graphql').SendTestWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status attemptCount } }\n"): typeof import('./graphql').RedeliverWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantWebhookEndpoints($id: ID!) {\n    tenant(id: $id) {\n      webhookEndpoints {\n        id url enabled disabledReason disabledAt lastSuccessAt lastFailureAt failingSince consecutiveFailures\n      }\n    }\n  }\n"): typeof import('./graphql').TenantWebhookEndpointsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($id: ID!, $first: Int) {\n    node(id: $id) {\n      ... on WebhookEndpoint {\n        deliveries(first: $first) {\n          edges { node { id webhookId eventType payload status attemptCount nextAttemptAt lastAttemptAt attempts { at statusCode latencyMs error } } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhookDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookAuditLog($id: ID!) {\n    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }\n  }\n"): typeof import('./graphql').WebhookAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT, description: \"Offers | news\" }) { key }\n    receipts: definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"c-1\", phone: \"+46701234567\" }) { id }\n    updateRetentionPolicy(input: { tenantId: $tenantId, sendDataDays: 14 }) { sendDataDays }\n  }\n"): typeof import('./graphql').RecordSetupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProcessingRecordRead($id: ID!) {\n    tenant(id: $id) {\n      processingRecord {\n        generatedAt\n        purposes { key legalBasis description }\n        dataCategories { name description }\n        subprocessors { pluginId legalEntity location transferMechanism dataCategories }\n        retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays }\n        securityMeasures\n        markdown\n      }\n    }\n  }\n"): typeof import('./graphql').ProcessingRecordReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    upsertRecipient(input: { tenantId: $tenantId, externalId: \"r1\", phone: \"+46701234567\" }) { id }\n  }\n"): typeof import('./graphql').InboxSetupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxSend($input: CreateSendInput!) { createSend(input: $input) { id } }\n"): typeof import('./graphql').InboxSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxRead($id: ID!) { send(id: $id) { status events { status provider at } } }\n"): typeof import('./graphql').InboxReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpsertRecipient($input: UpsertRecipientInput!) {\n    upsertRecipient(input: $input) { id externalId name phone email locale restricted objected consents { channel purpose granted } }\n  }\n"): typeof import('./graphql').UpsertRecipientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpsertRecipients($input: UpsertRecipientsInput!) { upsertRecipients(input: $input) { created updated } }\n"): typeof import('./graphql').UpsertRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetRecipient($id: ID!) {\n    recipient(id: $id) { id externalId name phone email tenant { name } consents { id channel purpose granted source proof recordedAt withdrawnAt } }\n  }\n"): typeof import('./graphql').GetRecipientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchRecipients($tenantId: ID!, $search: String, $first: Int, $after: String) {\n    tenant(id: $tenantId) {\n      recipients(search: $search, first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id externalId phone consents { channel purpose granted } } }\n      }\n    }\n  }\n"): typeof import('./graphql').SearchRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id channel purpose granted source proof withdrawnAt } }\n"): typeof import('./graphql').RecordConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawConsent($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id granted withdrawnAt } }\n"): typeof import('./graphql').WithdrawConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DefinePurposeForRecipients($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n"): typeof import('./graphql').DefinePurposeForRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScaleSetup($tenantId: ID!, $sms: JSON!, $coupon: JSON!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONSENT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"sms-46elks\", config: $sms }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"coupon-clearon\", config: $coupon }) { id webhookUrl }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n"): typeof import('./graphql').ScaleSetupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScaleRecipients($tenantId: ID!) { tenant(id: $tenantId) { recipients(first: 100) { edges { node { id externalId } } } } }\n"): typeof import('./graphql').ScaleRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScaleConsent($recipientId: ID!) { recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"test\" }) { id } }\n"): typeof import('./graphql').ScaleConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScaleSend($input: CreateSendInput!) { createSend(input: $input) { id status } }\n"): typeof import('./graphql').ScaleSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScaleReadSend($id: ID!) { send(id: $id) { status provider events { status } gift { provider status code } } }\n"): typeof import('./graphql').ScaleReadSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScaleCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n"): typeof import('./graphql').ScaleCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScaleStats($id: ID!) { node(id: $id) { ... on Campaign { stats { total queued sent delivered failed blocked giftsRedeemed } } } }\n"): typeof import('./graphql').ScaleStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionSetup($tenantId: ID!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"offers\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n  }\n"): typeof import('./graphql').RetentionSetupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionRecipient($tenantId: ID!, $externalId: String!, $phone: String!) {\n    upsertRecipient(input: { tenantId: $tenantId, externalId: $externalId, phone: $phone, name: \"Anna\" }) { id }\n  }\n"): typeof import('./graphql').RetentionRecipientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionConsent($recipientId: ID!) {\n    recordConsent(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", source: \"form\", proof: \"v1\" }) { granted }\n  }\n"): typeof import('./graphql').RetentionConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionSend($recipientId: ID!) {\n    createSend(input: { recipientId: $recipientId, channel: SMS, purpose: \"offers\", message: { body: \"Code {{gift.code}}\" }, gift: { offerId: \"coffee\" } }) { id }\n  }\n"): typeof import('./graphql').RetentionSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionCampaign($tenantId: ID!, $recipientIds: [ID!]!) {\n    createCampaign(input: { tenantId: $tenantId, name: \"Spring\", channel: SMS, purpose: \"offers\", message: { body: \"Hi {{name}}\" }, recipientIds: $recipientIds }) { id }\n  }\n"): typeof import('./graphql').RetentionCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionReadSend($id: ID!) {\n    send(id: $id) { status channel createdAt contentErasedAt events { status } gift { status offerId code url } recipient { id } }\n  }\n"): typeof import('./graphql').RetentionReadSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionReadCampaign($id: ID!) {\n    node(id: $id) { ... on Campaign { contentErasedAt stats { total delivered } } }\n  }\n"): typeof import('./graphql').RetentionReadCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionReadRecipient($id: ID!) { recipient(id: $id) { id } }\n"): typeof import('./graphql').RetentionReadRecipientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionPolicyRead($id: ID!) { tenant(id: $id) { retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays } } }\n"): typeof import('./graphql').RetentionPolicyReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetentionPolicyUpdate($input: UpdateRetentionPolicyInput!) {\n    updateRetentionPolicy(input: $input) { sendDataDays inactiveRecipientDays auditLogDays }\n  }\n"): typeof import('./graphql').RetentionPolicyUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RetentionAudit($id: ID!) { tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId detail } } } } }\n"): typeof import('./graphql').RetentionAuditDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadingSeed($tenantId: ID!, $recipients: [RecipientItemInput!]!) {\n    definePurpose(input: { tenantId: $tenantId, key: \"receipts\", legalBasis: CONTRACT }) { key }\n    sms: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-sms\", config: {} }) { id }\n    coupon: configureChannel(input: { tenantId: $tenantId, pluginId: \"dev-coupon\", config: {} }) { id }\n    upsertRecipients(input: { tenantId: $tenantId, recipients: $recipients }) { created }\n  }\n"): typeof import('./graphql').ReadingSeedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadingCampaign($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }\n"): typeof import('./graphql').ReadingCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadingSends($tenantId: ID!, $first: Int!, $campaignId: ID, $status: SendStatus) {\n    tenant(id: $tenantId) {\n      sends(first: $first, campaignId: $campaignId, status: $status) {\n        totalCount\n        edges {\n          node {\n            id status provider providerMessageId\n            recipient { id locale }\n            campaign { name stats { total delivered giftsRedeemed } }\n            gift { provider status code }\n            events { status at provider }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ReadingSendsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadingCampaigns($tenantId: ID!, $first: Int!) {\n    tenant(id: $tenantId) {\n      campaigns(first: $first) {\n        edges { node { id name stats { total queued delivered giftsRedeemed } sends(first: 3) { totalCount edges { node { status } } } } }\n      }\n    }\n  }\n"): typeof import('./graphql').ReadingCampaignsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadingRecipientSends($id: ID!) {\n    recipient(id: $id) { sends(first: 10) { totalCount edges { node { status campaign { name } events { status } } } } }\n  }\n"): typeof import('./graphql').ReadingRecipientSendsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsDefinePurpose($input: DefinePurposeInput!) { definePurpose(input: $input) { key } }\n"): typeof import('./graphql').SendsDefinePurposeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsConfigure($input: ConfigureChannelInput!) { configureChannel(input: $input) { id } }\n"): typeof import('./graphql').SendsConfigureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsUpsert($input: UpsertRecipientInput!) { upsertRecipient(input: $input) { id } }\n"): typeof import('./graphql').SendsUpsertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsConsent($input: RecordConsentInput!) { recordConsent(input: $input) { id } }\n"): typeof import('./graphql').SendsConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsWithdraw($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }\n"): typeof import('./graphql').SendsWithdrawDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsCreate($input: CreateSendInput!) {\n    createSend(input: $input) { id status idempotencyKey scheduledAt channel purpose recipient { id } }\n  }\n"): typeof import('./graphql').SendsCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsCancel($id: ID!) { cancelSend(id: $id) { id status statusReason } }\n"): typeof import('./graphql').SendsCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendsRead($id: ID!) {\n    send(id: $id) {\n      id status statusReason provider providerMessageId attempts\n      events { status at provider detail }\n      gift { id provider offerId code url status redeemedAt }\n    }\n  }\n"): typeof import('./graphql').SendsReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendsCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) { id name channel purpose stats { total queued blocked failed } }\n  }\n"): typeof import('./graphql').SendsCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendsReadCampaign($id: ID!) {\n    node(id: $id) {\n      ... on Campaign {\n        id name\n        stats { total queued sent delivered failed blocked canceled giftsRedeemed }\n        sends(first: 10) { totalCount edges { node { status statusReason recipient { id } } } }\n      }\n    }\n  }\n"): typeof import('./graphql').SendsReadCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfigureWebhookChannel($input: ConfigureChannelInput!) {\n    configureChannel(input: $input) { id webhookUrl }\n  }\n"): typeof import('./graphql').ConfigureWebhookChannelDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
