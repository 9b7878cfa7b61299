import { builder } from './builder.ts';

export const RoleEnum = builder.enumType('Role', {
  values: {
    PLATFORM_ADMIN: { description: 'Operates the whole platform; the only role that sees every tenant.' },
    TENANT_ADMIN: { description: 'Manages one tenant: members, API keys, channels, purposes, retention.' },
    SENDER: { description: 'Manages recipients and consents and creates sends within one tenant.' },
    VIEWER: { description: 'Reads sends and their status within one tenant; may subscribe to status updates.' },
    DPO: { description: 'Handles data subject requests and reads the audit log within one tenant.' },
  } as const,
});

export const LegalBasisEnum = builder.enumType('LegalBasis', {
  values: ['CONSENT', 'CONTRACT', 'LEGITIMATE_INTEREST', 'LEGAL_OBLIGATION'] as const,
});

export const ChannelEnum = builder.enumType('Channel', {
  description: 'A kind of subprocessor plugin. Sends are delivered over SMS, EMAIL or PUSH; COUPON plugins issue gifts.',
  values: ['SMS', 'EMAIL', 'PUSH', 'COUPON'] as const,
});
