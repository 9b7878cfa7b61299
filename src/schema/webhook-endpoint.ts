// Partner webhooks: endpoints on Tenant.webhookEndpoints with their health, deliveries and
// attempts, and the mutations that manage them. TENANT_ADMIN only: an endpoint's URL and its
// traffic are the tenant's integration, not something a sender or viewer needs.
import { WebhookDeliveryStatus } from '../db/generated/enums.ts';
import { encodeGlobalId } from '../ids.ts';
import { deleteWebhookEndpoint, createWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled, updateWebhookEndpoint, DEFAULT_OVERLAP_SECONDS } from '../partner-webhooks/endpoints.ts';
import { DISABLED_REASONS, redeliverWebhook, sendTestWebhook } from '../partner-webhooks/deliveries.ts';
import { ADMIN, inTenant, ownerOf } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { GiftStatusEnum, SendStatusEnum } from './enums.ts';
import { TenantRef } from './tenant.ts';

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook delivery stands.',
  values: {
    PENDING: { description: 'Not delivered yet: the first attempt or a retry is queued (see nextAttemptAt).' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Retries are exhausted, the endpoint answered 410 or was disabled; redeliverWebhook tries once more.' },
  },
});

const adminOfRow = (row: { tenantId: string }) => inTenant(row.tenantId, ADMIN);

builder.prismaObject('WebhookAttempt', {
  description: 'One HTTP attempt of a delivery. The response body is never kept.',
  // Reached only through WebhookDelivery.attempts, which is guarded.
  authScopes: { authenticated: true },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the attempt started.' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'The HTTP status the endpoint answered; null when no answer came (see error).' }),
    latencyMs: t.exposeInt('latencyMs', { description: 'Milliseconds from sending the request to the end of the answer (or the failure).' }),
    error: t.exposeString('error', {
      nullable: true,
      description: "Why no answer came: a socket error code (ECONNREFUSED ...), 'timeout' or 'blocked_address' (not a public address); null when one came.",
    }),
  }),
});

const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id', description: 'The delivery\'s global id (redeliverWebhook takes it).' },
  description: 'One event (or test) for one endpoint, with its attempts. TENANT_ADMIN only.',
  authScopes: adminOfRow,
  fields: (t) => ({
    webhookId: t.string({
      description: 'The `webhook-id` header of every attempt of this delivery; receivers deduplicate by it.',
      resolve: (delivery) => `msg_${delivery.id}`,
    }),
    eventType: t.exposeString('eventType', { description: "The payload's `type`: `send.<status>`, `gift.<status>` (lower case) or `webhook.test`." }),
    payload: t.field({ type: 'JSON', description: 'The JSON body posted, the same on every attempt; ids and statuses only, no personal data.', resolve: (delivery) => JSON.parse(delivery.payload) }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum, description: 'Where the delivery stands.' }),
    attemptCount: t.exposeInt('attemptCount', { description: 'Attempts made so far.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When a PENDING delivery is next attempted; null when it is due now or finished.' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true, description: 'When the latest attempt started.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the event was fanned out to this endpoint.' }),
    endpoint: t.relation('endpoint', { description: 'The endpoint it is addressed to.' }),
    attempts: t.relation('attempts', {
      description: 'Its attempts, oldest first (at most 100).',
      query: { orderBy: { at: 'asc' }, take: 100 },
    }),
  }),
});

const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id', description: "The endpoint's global id." },
  description: "A partner's HTTPS endpoint that receives the tenant's send and gift events, signed per Standard Webhooks. TENANT_ADMIN only.",
  // Never the sealed secrets: what is not selected cannot leak.
  select: { id: true, tenantId: true },
  authScopes: adminOfRow,
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where events are POSTed.' }),
    description: t.exposeString('description', { nullable: true, description: "The administrator's note on what the endpoint is for." }),
    statuses: t.expose('statuses', { type: [SendStatusEnum], description: 'Send statuses whose changes are delivered; with giftStatuses both empty, every event is.' }),
    giftStatuses: t.expose('giftStatuses', { type: [GiftStatusEnum], description: 'Gift statuses whose changes are delivered; with statuses both empty, every event is.' }),
    enabled: t.exposeBoolean('enabled', { description: 'False: no deliveries are made; enableWebhookEndpoint resumes them.' }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: `Why it is disabled: ${Object.entries(DISABLED_REASONS).map(([code, why]) => `${code} (${why})`).join(', ')}.`,
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'When it was disabled.' }),
    lastSuccessAt: t.expose('lastSuccessAt', { type: 'DateTime', nullable: true, description: 'When it last answered 2xx.' }),
    lastFailureAt: t.expose('lastFailureAt', { type: 'DateTime', nullable: true, description: 'When an attempt last failed.' }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'The first failure since the last success; an endpoint failing for longer than the configured period is disabled (FAILING).',
    }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', { description: 'Failed attempts since the last success.' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Until then the secret replaced by rotateWebhookSecret still signs beside the new one.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed (settings or health).' }),
    deliveries: t.relatedConnection(
      'deliveries',
      { cursor: 'id', query: { orderBy: { id: 'desc' } }, description: 'Its deliveries, newest first.' },
      { name: 'WebhookDeliveryConnection', description: 'A page of webhook deliveries.' },
      { name: 'WebhookDeliveryEdge', description: 'A webhook delivery and its cursor.' },
    ),
  }),
});

builder.prismaObjectField(TenantRef, 'webhookEndpoints', (t) =>
  t.relation('webhookEndpoints', {
    description: "The tenant's partner webhook endpoints with their health, oldest first. TENANT_ADMIN only (others: FORBIDDEN).",
    authScopes: (tenant) => inTenant(tenant.id, ADMIN),
    query: { orderBy: { id: 'asc' } },
  }),
);

const filterFields = {
  statuses: { description: 'Send statuses to deliver (unknown ones: BAD_USER_INPUT); with giftStatuses both empty or omitted, every event.' },
  giftStatuses: { description: 'Gift statuses to deliver (unknown ones: BAD_USER_INPUT); with statuses both empty or omitted, every event.' },
} as const;

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new partner webhook endpoint.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant whose events it receives.' }),
    url: t.string({
      required: true,
      description: 'An https:// URL on a public address (http and private addresses only where the deployment allows them); otherwise BAD_USER_INPUT.',
    }),
    description: t.string({ description: 'A note on what it is for (at most 500 characters).' }),
    statuses: t.field({ type: [SendStatusEnum], description: filterFields.statuses.description }),
    giftStatuses: t.field({ type: [GiftStatusEnum], description: filterFields.giftStatuses.description }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Changes to an endpoint; omitted fields keep their values.',
  fields: (t) => ({
    id: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint to change.' }),
    url: t.string({ description: 'A new URL, checked as at creation.' }),
    description: t.string({ description: 'A new note; null clears it.' }),
    statuses: t.field({ type: [SendStatusEnum], description: filterFields.statuses.description }),
    giftStatuses: t.field({ type: [GiftStatusEnum], description: filterFields.giftStatuses.description }),
  }),
});

const RotateWebhookSecretInput = builder.inputType('RotateWebhookSecretInput', {
  description: "Replaces an endpoint's signing secret.",
  fields: (t) => ({
    id: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint whose secret is replaced.' }),
    overlapSeconds: t.int({
      description: `How long the old secret keeps signing beside the new one (default ${DEFAULT_OVERLAP_SECONDS}, 0 to 604800; 0 drops it at once).`,
    }),
  }),
});

const WebhookSecretPayload = builder
  .objectRef<{ endpoint: typeof WebhookEndpointRef.$inferType; secret: string }>('WebhookSecretPayload')
  .implement({
    description: 'An endpoint with its new signing secret.',
    // Reached only through createWebhookEndpoint and rotateWebhookSecret, which are guarded.
    authScopes: { authenticated: true },
    fields: (t) => ({
      endpoint: t.expose('endpoint', { type: WebhookEndpointRef, description: 'The endpoint.' }),
      secret: t.exposeString('secret', {
        description: 'The signing secret (`whsec_...`), shown here only; verify deliveries with it (Standard Webhooks). Stored encrypted.',
      }),
    }),
  });

builder.mutationFields((t) => ({
  createWebhookEndpoint: withCaller(t).field({
    type: WebhookSecretPayload,
    description: 'Registers a partner endpoint and returns its secret once. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT (url, filter, description, at most 20 per tenant).',
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: (_root, { input }, ctx) => createWebhookEndpoint(ctx.app, ctx.principal, { ...input, tenantId: input.tenantId.id }),
  }),
  updateWebhookEndpoint: withCaller(t).prismaField({
    type: 'WebhookEndpoint',
    description: "Changes an endpoint's URL, note or filter. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: 'The changes.' }) },
    authScopes: (_root, { input }) => ownerOf(input.id, ADMIN),
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await updateWebhookEndpoint(ctx.app, ctx.principal, { ...input, id: input.id.id });
      return ctx.app.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  disableWebhookEndpoint: withCaller(t).prismaField({
    type: 'WebhookEndpoint',
    description: 'Stops deliveries to an endpoint (queued ones end FAILED). TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND.',
    args: { id: t.arg.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }) },
    authScopes: (_root, args) => ownerOf(args.id, ADMIN),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await setWebhookEndpointEnabled(ctx.app, ctx.principal, { id: args.id.id, enabled: false });
      return ctx.app.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  enableWebhookEndpoint: withCaller(t).prismaField({
    type: 'WebhookEndpoint',
    description: 'Resumes deliveries to an endpoint and clears its failure record. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND.',
    args: { id: t.arg.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }) },
    authScopes: (_root, args) => ownerOf(args.id, ADMIN),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await setWebhookEndpointEnabled(ctx.app, ctx.principal, { id: args.id.id, enabled: true });
      return ctx.app.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteWebhookEndpoint: withCaller(t).field({
    type: 'ID',
    description: 'Deletes an endpoint with its deliveries and returns its id. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND.',
    args: { id: t.arg.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }) },
    authScopes: (_root, args) => ownerOf(args.id, ADMIN),
    resolve: async (_root, args, ctx) => {
      await deleteWebhookEndpoint(ctx.app, ctx.principal, { id: args.id.id });
      return encodeGlobalId('WebhookEndpoint', args.id.id);
    },
  }),
  rotateWebhookSecret: withCaller(t).field({
    type: WebhookSecretPayload,
    description: 'Gives an endpoint a new secret, shown once; the old one keeps signing during the overlap. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true, description: 'The endpoint and the overlap.' }) },
    authScopes: (_root, { input }) => ownerOf(input.id, ADMIN),
    resolve: (_root, { input }, ctx) => rotateWebhookSecret(ctx.app, ctx.principal, { id: input.id.id, overlapSeconds: input.overlapSeconds }),
  }),
  redeliverWebhook: withCaller(t).prismaField({
    type: 'WebhookDelivery',
    description: 'Attempts a finished delivery once more, now, with the same webhook-id and body. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT (still pending, endpoint disabled).',
    args: { deliveryId: t.arg.globalID({ for: WebhookDeliveryRef, required: true, description: 'The delivery.' }) },
    authScopes: (_root, args) => ownerOf(args.deliveryId, ADMIN),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await redeliverWebhook(ctx.app, ctx.principal, { deliveryId: args.deliveryId.id });
      return ctx.app.prisma.webhookDelivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  sendTestWebhook: withCaller(t).prismaField({
    type: 'WebhookDelivery',
    description: 'Queues a signed `webhook.test` delivery to the endpoint. TENANT_ADMIN; errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT (endpoint disabled).',
    args: { endpointId: t.arg.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }) },
    authScopes: (_root, args) => ownerOf(args.endpointId, ADMIN),
    resolve: async (query, _root, args, ctx) => {
      const { id } = await sendTestWebhook(ctx.app, ctx.principal, { endpointId: args.endpointId.id });
      return ctx.app.prisma.webhookDelivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
