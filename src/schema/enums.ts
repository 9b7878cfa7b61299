// The GraphQL enums, built from Prisma's: the values are written once, in prisma/schema.prisma.
import { Channel, GiftStatus, LegalBasis, Role, SendStatus } from '../db/generated/enums.ts';
import { builder } from './builder.ts';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  values: {
    PLATFORM_ADMIN: { description: 'Operates the whole platform; the only role that sees every tenant.' },
    TENANT_ADMIN: { description: 'Manages one tenant: members, API keys, channels, purposes, retention.' },
    SENDER: { description: 'Manages recipients and consents and creates sends within one tenant.' },
    VIEWER: { description: 'Reads sends and their status within one tenant; may subscribe to status updates.' },
    DPO: { description: 'Handles data subject requests and reads the audit log within one tenant.' },
  },
});

export const LegalBasisEnum = builder.enumType(LegalBasis, { name: 'LegalBasis' });

export const ChannelEnum = builder.enumType(Channel, {
  name: 'Channel',
  description: 'A kind of subprocessor plugin. Sends are delivered over SMS, EMAIL or PUSH; COUPON plugins issue gifts.',
});

export const SendStatusEnum = builder.enumType(SendStatus, {
  name: 'SendStatus',
  values: {
    QUEUED: { description: 'Accepted and waiting for a worker.' },
    SENDING: { description: 'Handed to a provider plugin; no answer yet.' },
    SENT: { description: 'The provider accepted it.' },
    DELIVERED: { description: "The provider reported delivery to the recipient's device or inbox." },
    FAILED: { description: 'Delivery failed for good (after retries and failover).' },
    CANCELED: { description: 'Cancelled before it was handed to a provider.' },
    BLOCKED: { description: 'Refused before dispatch: no consent, restricted or objected processing.' },
  },
});

export const GiftStatusEnum = builder.enumType(GiftStatus, { name: 'GiftStatus' });
