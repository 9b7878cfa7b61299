// Tenant.processingRecord: the tenant's records of processing (GDPR Art. 30(2)), structured
// and as Markdown, for its DPO and administrators.
import { processingRecord, processingRecordMarkdown, type DataCategory, type ProcessingRecord } from '../privacy/processing-record.ts';
import { AUDIT_READERS, inTenant, tenantRow } from './access.ts';
import { builder } from './builder.ts';
import { SubprocessorRef } from './channel.ts';
import { PurposeRef } from './purpose.ts';
import { RetentionPolicyRef } from './retention.ts';
import { TenantRef } from './tenant.ts';

const DataCategoryRef = builder.objectRef<DataCategory>('DataCategory').implement({
  description: 'A category of personal data the tenant holds, derived from its data and channels.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: "The category, e.g. 'Phone number' or 'Messages (SMS)'." }),
    description: t.exposeString('description', { description: 'Where and how it is held, and for how long.' }),
  }),
});

const ProcessingRecordRef = builder.objectRef<ProcessingRecord>('ProcessingRecord').implement({
  description: "The tenant's records of processing (GDPR Art. 30(2)), generated from its data and the code at request time.",
  authScopes: tenantRow,
  fields: (t) => ({
    generatedAt: t.expose('generatedAt', { type: 'DateTime', description: 'When this record was generated.' }),
    purposes: t.field({ type: [PurposeRef], description: 'The purposes of processing with their legal bases.', resolve: (record) => record.purposes }),
    dataCategories: t.field({ type: [DataCategoryRef], description: 'The categories of personal data held.', resolve: (record) => record.dataCategories }),
    subprocessors: t.field({
      type: [SubprocessorRef],
      description: "The subprocessors of the tenant's enabled channels, with location and transfer safeguard.",
      resolve: (record) => record.subprocessors,
    }),
    retentionPolicy: t.field({
      type: RetentionPolicyRef,
      description: 'The retention periods in force.',
      resolve: (record) => ({ tenantId: record.tenantId, ...record.retentionPolicy }),
    }),
    securityMeasures: t.stringList({ description: 'The technical and organisational security measures (GDPR Art. 32) the platform applies.', resolve: (record) => [...record.securityMeasures] }),
    markdown: t.string({ description: 'The whole record as a Markdown document, as `npm run cli -- processing-record` prints it.', resolve: (record) => processingRecordMarkdown(record) }),
  }),
});

builder.prismaObjectField(TenantRef, 'processingRecord', (t) =>
  t.field({
    type: ProcessingRecordRef,
    description: "The tenant's records of processing (GDPR Art. 30(2)); DPO, TENANT_ADMIN and PLATFORM_ADMIN only, others FORBIDDEN.",
    authScopes: (tenant) => inTenant(tenant.id, AUDIT_READERS),
    resolve: (tenant, _args, ctx) => processingRecord(ctx.app, tenant.id),
  }),
);
