// Retention: the tenant's policy (Tenant.retentionPolicy, updateRetentionPolicy) and what its
// sweep leaves visible: when a send's or campaign's content was erased, and the counts on
// the audit event of each run.
import { RETENTION_BOUNDS, updateRetentionPolicy, POLICY_SELECT, type RetentionPolicy } from '../privacy/retention-policy.ts';
import { ADMIN, ANY_ROLE, inTenant, tenantRow } from './access.ts';
import { AuditEventRef } from './audit.ts';
import { builder, withCaller } from './builder.ts';
import { CampaignRef } from './campaign.ts';
import { SendRef } from './send.ts';
import { TenantRef } from './tenant.ts';

const bounds = (period: keyof RetentionPolicy) => `${RETENTION_BOUNDS[period].min} to ${RETENTION_BOUNDS[period].max}`;

export const RetentionPolicyRef = builder.objectRef<RetentionPolicy & { tenantId: string }>('RetentionPolicy').implement({
  description: "How long the tenant keeps personal data; the retention sweep applies it to every tenant on a schedule.",
  authScopes: tenantRow,
  fields: (t) => ({
    sendDataDays: t.exposeInt('sendDataDays', { description: "Days after which a send's content and the recipient's contact details on it are erased or encrypted away." }),
    inactiveRecipientDays: t.exposeInt('inactiveRecipientDays', { description: 'Days of inactivity after which a recipient and their data are deleted.' }),
    auditLogDays: t.exposeInt('auditLogDays', { description: 'Days the audit log is kept.' }),
  }),
});

builder.prismaObjectField(TenantRef, 'retentionPolicy', (t) =>
  t.field({
    type: RetentionPolicyRef,
    description: 'The retention periods in force; any member of the tenant may read them.',
    authScopes: (tenant) => inTenant(tenant.id, ANY_ROLE),
    select: POLICY_SELECT,
    resolve: (tenant) => ({ tenantId: tenant.id, sendDataDays: tenant.sendDataDays, inactiveRecipientDays: tenant.inactiveRecipientDays, auditLogDays: tenant.auditLogDays }),
  }),
);

const UpdateRetentionPolicyInput = builder.inputType('UpdateRetentionPolicyInput', {
  description: 'New retention periods for a tenant; a period left out (or null) keeps its value.',
  fields: (t) => ({
    tenantId: t.globalID({ for: TenantRef, required: true, description: 'The tenant whose policy changes.' }),
    sendDataDays: t.int({ description: `Days a send's content and gift code are kept, ${bounds('sendDataDays')} (default 30).` }),
    inactiveRecipientDays: t.int({ description: `Days without a send, consent change or update before a recipient is erased, ${bounds('inactiveRecipientDays')} (default 730).` }),
    auditLogDays: t.int({ description: `Days audit events are kept, ${bounds('auditLogDays')} (default 365).` }),
  }),
});

builder.mutationField('updateRetentionPolicy', (t) =>
  withCaller(t).field({
    type: RetentionPolicyRef,
    description: "Changes the tenant's retention periods, all or none (TENANT_ADMIN of the tenant or PLATFORM_ADMIN; others FORBIDDEN). A period outside its bounds is BAD_USER_INPUT naming it; an unknown tenant NOT_FOUND.",
    args: { input: t.arg({ type: UpdateRetentionPolicyInput, required: true, description: 'The tenant and the periods to set.' }) },
    authScopes: (_root, { input }) => inTenant(input.tenantId.id, ADMIN),
    resolve: async (_root, { input }, ctx) => {
      const tenantId = input.tenantId.id;
      return { tenantId, ...(await updateRetentionPolicy(ctx.app, ctx.principal, { ...input, tenantId })) };
    },
  }),
);

builder.prismaObjectField(SendRef, 'contentErasedAt', (t) =>
  t.expose('contentErasedAt', {
    type: 'DateTime',
    nullable: true,
    description: "When retention or erasure destroyed the send's message content and gift code and link (the gift's code and url read null from then on); null while kept.",
  }),
);

builder.prismaObjectField(CampaignRef, 'contentErasedAt', (t) =>
  t.expose('contentErasedAt', {
    type: 'DateTime',
    nullable: true,
    description: "When retention destroyed the campaign's message, once every send of it was past the tenant's sendDataDays; null while kept.",
  }),
);

builder.prismaObjectField(AuditEventRef, 'detail', (t) =>
  t.expose('detail', {
    type: 'JSON',
    nullable: true,
    description: "Counts or outcomes of the action, never personal data: e.g. a 'retention.run' event's sendsErased, campaignsErased, recipientsErased, recipientsFailed and auditEventsDeleted.",
  }),
);
