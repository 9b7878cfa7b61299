// Builds the schema from the domain files (imported for their side effects).
import { builder } from './builder.ts';
import './enums.ts';
import './audit.ts';
import './tenant.ts';
import './purpose.ts';
import './channel.ts';
import './api-key.ts';
import './viewer.ts';
import './recipient.ts';
import './send.ts';
import './campaign.ts';

export const schema = builder.toSchema();
