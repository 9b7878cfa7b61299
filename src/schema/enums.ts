// The GraphQL enums, built from Prisma's: the values are written once, in prisma/schema.prisma.
import { Channel, GiftStatus, LegalBasis, Role, SendStatus } from '../db/generated/enums.ts';
import { ERROR_CODE_DESCRIPTIONS, ERROR_CODES, type ErrorCode } from '../errors.ts';
import { builder } from './builder.ts';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: "A principal's role: PLATFORM_ADMIN platform-wide, the others within one tenant.",
  values: {
    PLATFORM_ADMIN: { description: 'Operates the whole platform; the only role that sees every tenant.' },
    TENANT_ADMIN: { description: 'Manages one tenant: members, API keys, channels, purposes, retention.' },
    SENDER: { description: 'Manages recipients and consents and creates sends within one tenant.' },
    VIEWER: { description: 'Reads sends and their status within one tenant; may subscribe to status updates.' },
    DPO: { description: 'Handles data subject requests and reads the audit log within one tenant.' },
  },
});

export const LegalBasisEnum = builder.enumType(LegalBasis, {
  name: 'LegalBasis',
  description: "The GDPR Art. 6 basis a purpose relies on; it decides whether a send needs the recipient's consent.",
  values: {
    CONSENT: { description: 'Art. 6(1)(a): each send needs a granted consent for its channel and purpose, else CONSENT_REQUIRED.' },
    CONTRACT: { description: 'Art. 6(1)(b): needed to perform a contract with the recipient; no consent needed.' },
    LEGAL_OBLIGATION: { description: 'Art. 6(1)(c): required by law; no consent needed.' },
    LEGITIMATE_INTEREST: { description: 'Art. 6(1)(f): no consent needed, but a recipient who objected is refused with RECIPIENT_OBJECTED.' },
  },
});

export const ChannelEnum = builder.enumType(Channel, {
  name: 'Channel',
  description: 'A kind of subprocessor plugin. Sends are delivered over SMS, EMAIL or PUSH; COUPON plugins issue gifts.',
  values: {
    SMS: { description: "Text message to the recipient's phone (E.164)." },
    EMAIL: { description: "E-mail to the recipient's address." },
    PUSH: { description: "Push notification to the recipient's device tokens." },
    COUPON: { description: 'Gift codes or links issued by a coupon provider; not a channel a message is sent on.' },
  },
});

export const SendStatusEnum = builder.enumType(SendStatus, {
  name: 'SendStatus',
  description: 'Where a send is in its life: QUEUED, SENDING, SENT, then DELIVERED or FAILED; CANCELED and BLOCKED end it early.',
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

export const GiftStatusEnum = builder.enumType(GiftStatus, {
  name: 'GiftStatus',
  description: "Where a gift is in its life, as its coupon provider reports it.",
  values: {
    ISSUED: { description: 'The provider issued the code or link; not redeemed yet.' },
    REDEEMED: { description: 'The recipient redeemed it (see redeemedAt).' },
    EXPIRED: { description: 'It expired unredeemed.' },
    CANCELED: { description: 'The provider cancelled it; it can no longer be redeemed.' },
  },
});

/** The codes of `extensions.code` on every error, from the one list in src/errors.ts. */
export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'The `extensions.code` of every error this API returns; the message says what to fix.',
  values: Object.fromEntries(ERROR_CODES.map((code) => [code, { description: ERROR_CODE_DESCRIPTIONS[code] }])) as Record<ErrorCode, { description: string }>,
});
