// Data subject requests: requestDataSubjectAction, extendDataSubjectRequest, the
// DataSubjectRequest type with its export, download link and erasure ledger, and
// Tenant.dataSubjectRequests. The tenant's DPO and TENANT_ADMIN only.
import type { TenantRole } from '../auth/principal.ts';
import { resourceTenants } from '../auth/resources.ts';
import { DataSubjectRequestKind, DataSubjectRequestStatus, ErasureLedgerOutcome } from '../db/generated/enums.ts';
import { notFound } from '../errors.ts';
import { extendDataSubjectRequest, readExport, requestDataSubjectAction } from '../privacy/data-subject-requests.ts';
import { inTenant, ownerOf } from './access.ts';
import { builder, withCaller } from './builder.ts';
import { personalDataDeps } from './context.ts';
import { RecipientRef } from './recipient.ts';
import { TenantRef } from './tenant.ts';

/** Who handles data subject requests in a tenant. */
const PRIVACY_OFFICERS: readonly TenantRole[] = ['TENANT_ADMIN', 'DPO'];

const KindEnum = builder.enumType(DataSubjectRequestKind, {
  name: 'DataSubjectRequestKind',
  description: 'What the data subject asks for (GDPR Art. 15-21).',
  values: {
    ACCESS: { description: 'A copy of everything held about them (Art. 15): the request gets an `export`.' },
    PORTABILITY: { description: 'Their data in a machine-readable form (Art. 20): an `export` like ACCESS.' },
    RECTIFICATION: { description: 'Corrected name, phone, email or locale (Art. 16), given in `rectification`.' },
    ERASURE: { description: 'Erasure everywhere, subprocessors included (Art. 17); a second one is REJECTED.' },
    RESTRICTION: { description: 'Nothing is sent to them (Art. 18); with `lift: true` the restriction ends.' },
    OBJECTION: { description: 'Nothing is sent on LEGITIMATE_INTEREST purposes (Art. 21); with `lift: true` it ends.' },
  },
});

const StatusEnum = builder.enumType(DataSubjectRequestStatus, {
  name: 'DataSubjectRequestStatus',
  description: 'Where a request is: RECEIVED, then IN_PROGRESS on the queue, then COMPLETED or REJECTED (see `reason`).',
  values: {
    RECEIVED: { description: 'Recorded; waiting for a worker.' },
    IN_PROGRESS: { description: 'Being carried out (an erasure stays here until every subprocessor answered).' },
    COMPLETED: { description: 'Done; `completedAt` says when.' },
    REJECTED: { description: 'Not carried out; `reason` says why (e.g. the recipient was already erased).' },
  },
});

const OutcomeEnum = builder.enumType(ErasureLedgerOutcome, {
  name: 'ErasureOutcome',
  description: "A subprocessor's answer to an erasure request.",
  values: {
    REQUESTED: { description: 'Asked; no final answer yet (failed attempts are retried).' },
    CONFIRMED: { description: 'The provider accepted the deletion (some complete it later; see `detail`).' },
    FAILED: { description: 'The provider did not delete, after retries; `detail` says why.' },
    NOT_SUPPORTED: { description: "The provider offers no deletion API; its own retention applies." },
  },
});

builder.prismaObject('ErasureLedgerEntry', {
  description: 'One subprocessor asked to erase the data subject\'s data (GDPR Art. 19), and its answer.',
  authScopes: (row) => inTenant(row.tenantId, PRIVACY_OFFICERS),
  fields: (t) => ({
    pluginId: t.exposeString('pluginId', { description: 'The plugin whose provider was asked, e.g. sms-46elks.' }),
    subprocessor: t.exposeString('subprocessor', { description: "The subprocessor's name as the register shows it." }),
    legalEntity: t.exposeString('legalEntity', { description: 'The company that processes the data.' }),
    outcome: t.expose('outcome', { type: OutcomeEnum, description: 'REQUESTED until settled as CONFIRMED, FAILED or NOT_SUPPORTED.' }),
    detail: t.exposeString('detail', { nullable: true, description: "The provider's answer or our reason, free of personal data." }),
    attempts: t.exposeInt('attempts', { description: 'How many times the provider was asked.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the outcome was last recorded.' }),
  }),
});

export const DataSubjectRequestRef = builder.prismaNode('DataSubjectRequest', {
  id: { field: 'id' },
  description: 'A data subject request (GDPR Art. 12-21). Readable by the tenant\'s DPO and TENANT_ADMIN only.',
  authScopes: (row) => inTenant(row.tenantId, PRIVACY_OFFICERS),
  fields: (t) => ({
    kind: t.expose('kind', { type: KindEnum, description: 'What was asked for.' }),
    status: t.expose('status', { type: StatusEnum, description: 'RECEIVED, IN_PROGRESS, COMPLETED or REJECTED.' }),
    recipient: t.field({
      type: RecipientRef,
      nullable: true,
      description: 'Null once the recipient has been erased.',
      resolve: (row, _a, ctx) => ctx.app.prisma.recipient.findFirst({ where: { id: row.recipientId, tenantId: row.tenantId } }),
    }),
    lift: t.exposeBoolean('lift', { description: 'RESTRICTION / OBJECTION: true when the request lifts the flag instead of setting it.' }),
    note: t.exposeString('note', { nullable: true, description: 'The note given with the request (e.g. how the request arrived).' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the request was REJECTED; null otherwise.' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', description: 'When the request was recorded.' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: 'receivedAt + 30 days (GDPR Art. 12(3)).' }),
    extendedUntil: t.expose('extendedUntil', { type: 'DateTime', nullable: true, description: 'The extended deadline, when extendDataSubjectRequest was used; null otherwise.' }),
    extensionReason: t.exposeString('extensionReason', { nullable: true, description: 'Why the deadline was extended.' }),
    overdue: t.boolean({
      description: 'True while the request is open past its deadline (extendedUntil, else dueAt).',
      resolve: (row) => !row.completedAt && row.deadlineAt.getTime() < Date.now(),
    }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it was COMPLETED or REJECTED.' }),
    export: t.field({
      type: 'JSON',
      nullable: true,
      description: 'For ACCESS and PORTABILITY: everything held about the recipient, machine-readable. Null until COMPLETED, and after erasure. Each read is audited.',
      resolve: (row, _a, ctx) => readExport(personalDataDeps(ctx), ctx.principal!.actor, row),
    }),
    downloadUrl: t.string({
      nullable: true,
      description: `For a COMPLETED ACCESS or PORTABILITY request: a link (valid a few minutes) that downloads the export as JSON; add ?format=csv&part=sends (or events, consents, consentHistory, purposes, subprocessors) for CSV.`,
      resolve: (row, _a, ctx) => (row.exportEnc ? ctx.app.exportLinks.urlFor(row, ctx.principal!.actor) : null),
    }),
    erasureLedger: t.relation('erasureLedger', {
      description: 'For ERASURE: one entry per subprocessor asked to erase (GDPR Art. 19); the request completes when none is REQUESTED.',
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

builder.prismaObjectField(TenantRef, 'dataSubjectRequests', (t) =>
  t.prismaConnection(
    {
      type: 'DataSubjectRequest',
      cursor: 'id',
      description: "The tenant's data subject requests: open ones first, overdue and nearest due first. DPO and TENANT_ADMIN only (others: FORBIDDEN).",
      authScopes: (tenant) => inTenant(tenant.id, PRIVACY_OFFICERS),
      args: {
        status: t.arg({ type: StatusEnum, description: 'Only requests in this status.' }),
        kind: t.arg({ type: KindEnum, description: 'Only requests of this kind.' }),
      },
      resolve: (query, tenant, args, ctx) =>
        ctx.app.prisma.dataSubjectRequest.findMany({
          ...query,
          where: { tenantId: tenant.id, ...(args.status ? { status: args.status } : {}), ...(args.kind ? { kind: args.kind } : {}) },
          orderBy: [{ completedAt: { sort: 'desc', nulls: 'first' } }, { deadlineAt: 'asc' }, { id: 'asc' }],
        }),
    },
    { name: 'DataSubjectRequestConnection', description: 'A page of data subject requests.' },
    { name: 'DataSubjectRequestEdge' },
  ),
);

const DataSubjectActionInput = builder.inputType('DataSubjectActionInput', {
  description: 'A data subject request about one recipient of the tenant.',
  fields: (t) => ({
    recipientId: t.globalID({ for: RecipientRef, required: true, description: 'The data subject; a recipient of another tenant is NOT_FOUND.' }),
    kind: t.field({ type: KindEnum, required: true, description: 'What the data subject asks for.' }),
    rectification: t.field({
      type: 'JSON',
      description: 'For RECTIFICATION: the corrected fields (name, phone, email, locale).',
    }),
    note: t.string({ description: 'Free text kept with the request (at most 1000 characters), e.g. how it arrived. No personal data beyond what the request needs.' }),
    lift: t.boolean({ description: 'For RESTRICTION and OBJECTION: true lifts the restriction or objection instead of setting it.' }),
  }),
});

const ExtendDataSubjectRequestInput = builder.inputType('ExtendDataSubjectRequestInput', {
  description: 'Extends the deadline of an open request once (GDPR Art. 12(3)).',
  fields: (t) => ({
    id: t.globalID({ for: DataSubjectRequestRef, required: true, description: 'The request to extend.' }),
    days: t.int({ required: true, description: 'Days added to dueAt, 1 to 60.' }),
    reason: t.string({ required: true, description: 'Why more time is needed (recorded with the request; 1 to 1000 characters).' }),
  }),
});

builder.mutationFields((t) => ({
  requestDataSubjectAction: withCaller(t).prismaField({
    type: 'DataSubjectRequest',
    description:
      'Records a data subject request and starts it on the queue (DPO and TENANT_ADMIN of the recipient\'s tenant). Errors: FORBIDDEN, NOT_FOUND (unknown or foreign recipient), BAD_USER_INPUT (a bad rectification names the field; nothing is recorded).',
    args: { input: t.arg({ type: DataSubjectActionInput, required: true, description: 'The request: whose, which kind, and its details.' }) },
    authScopes: async (_root, { input }, ctx) => {
      const tenantId = await resourceTenants.Recipient!(ctx.app.prisma, input.recipientId.id);
      // A recipient of a tenant the caller is not a member of is not the caller's to know of.
      if (!tenantId || !ctx.principal || !(ctx.principal.platformAdmin || ctx.principal.memberships.has(tenantId))) throw notFound('Recipient');
      return inTenant(tenantId, PRIVACY_OFFICERS);
    },
    resolve: async (query, _root, { input }, ctx) => {
      const tenantId = (await resourceTenants.Recipient!(ctx.app.prisma, input.recipientId.id))!;
      const request = await requestDataSubjectAction(ctx.app.dataSubjectRequests, ctx.principal, {
        tenantId,
        recipientId: input.recipientId.id,
        kind: input.kind,
        rectification: input.rectification,
        note: input.note,
        lift: input.lift,
      });
      return ctx.app.prisma.dataSubjectRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
  extendDataSubjectRequest: withCaller(t).prismaField({
    type: 'DataSubjectRequest',
    description: 'Extends an open request\'s deadline once by 1-60 days with a reason (DPO and TENANT_ADMIN). Errors: FORBIDDEN, NOT_FOUND, BAD_USER_INPUT (days out of range, already extended, already closed).',
    args: { input: t.arg({ type: ExtendDataSubjectRequestInput, required: true, description: 'Which request, by how many days, and why.' }) },
    authScopes: (_root, { input }) => ownerOf(input.id, PRIVACY_OFFICERS),
    resolve: async (query, _root, { input }, ctx) => {
      const request = await extendDataSubjectRequest(ctx.app, ctx.principal, { id: input.id.id, days: input.days, reason: input.reason });
      return ctx.app.prisma.dataSubjectRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
}));
