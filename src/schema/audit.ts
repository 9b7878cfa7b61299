import { tenantRow } from './access.ts';
import { builder } from './builder.ts';

export const AuditEventRef = builder.prismaObject('AuditEvent', {
  authScopes: tenantRow,
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.exposeString('actor', { description: "Who did it: an API key id, a user id or 'system'." }),
    action: t.exposeString('action'),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
  }),
});
