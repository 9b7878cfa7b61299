// Builds the schema from the domain files (imported for their side effects).
import { requireAccessRules } from './access.ts';
import { builder } from './builder.ts';
import './enums.ts';
import './audit.ts';
import './tenant.ts';
import './purpose.ts';
import './channel.ts';
import './api-key.ts';
import './viewer.ts';
import './recipient.ts';
import './message.ts';
import './campaign.ts';
import './send.ts';
import './webhook-endpoint.ts';
import './data-subject-request.ts';
import './retention.ts';
import './processing-record.ts';
import './events.ts';

export const schema = requireAccessRules(builder.toSchema());
