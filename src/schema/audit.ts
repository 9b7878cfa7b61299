import { tenantRow } from './access.ts';
import { builder } from './builder.ts';

export const AuditEventRef = builder.prismaObject('AuditEvent', {
  description: "One entry of a tenant's audit log: who did what to which object, and when. Readable by TENANT_ADMIN and DPO.",
  authScopes: tenantRow,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The entry\'s id (not a global id: audit events are reached only through Tenant.auditLog).' }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened.' }),
    actor: t.exposeString('actor', { description: "Who did it: an API key id, a user id or 'system'." }),
    action: t.exposeString('action', { description: "What was done, dotted, e.g. 'send.created' or 'send.refused.CONSENT_REQUIRED'." }),
    targetType: t.exposeString('targetType', { nullable: true, description: "The type of object acted on, e.g. 'Send'; null when none." }),
    targetId: t.exposeString('targetId', { nullable: true, description: 'The id of the object acted on; null when none, or when the event names several (targetIds).' }),
    targetIds: t.exposeStringList('targetIds', { description: "The objects of an event that concerns several at once, e.g. the recipients whose clear values one caller read within the same moment ('recipient.read'); empty otherwise." }),
  }),
});
