// Subscription.sendStatusChanged: the tenant's event log as a stream (src/events/), over
// graphql-ws (WebSocket) and SSE on /graphql, resumable with the `after` cursor.
import { hasTenantRole } from '../auth/principal.ts';
import type { LoggedEvent } from '../events/log.ts';
import { followSendStatus } from '../events/follow.ts';
import { ANY_ROLE, forbidden, inTenant, unauthenticated } from './access.ts';
import { builder } from './builder.ts';
import { CampaignRef } from './campaign.ts';
import type { Context } from './context.ts';
import { ChannelEnum, GiftStatusEnum, SendStatusEnum } from './enums.ts';
import { SendRef } from './send.ts';
import { TenantRef } from './tenant.ts';

builder.subscriptionType({
  description: 'Live streams over graphql-ws (WebSocket, token in connection_init) or SSE on /graphql; every field needs a principal.',
  authScopes: { authenticated: true },
});

/** The columns of a send its log entries hold. */
const ON_THE_EVENT = { id: true, tenantId: true };

const SendStatusEventRef = builder.objectRef<LoggedEvent>('SendStatusEvent').implement({
  description: 'One entry of the tenant’s event log: a status change of a send, or of its gift (then `giftStatus` is set and `status` is the send’s status at that time).',
  authScopes: (event) => inTenant(event.tenantId, ANY_ROLE),
  fields: (t) => ({
    send: t.prismaField({
      type: 'Send',
      description: 'The send that changed.',
      // The event carries the send's id and tenant: a subscriber that asks for nothing more (the
      // usual `send { id }`) costs no query per event.
      resolve: (query, event, _args, ctx) =>
        Object.keys(query.select ?? { all: true }).every((column) => column in ON_THE_EVENT)
          ? // Pothos reads only the selected columns of the row it is given.
            ({ id: event.sendId, tenantId: event.tenantId } as never)
          : ctx.app.prisma.send.findUniqueOrThrow({ ...query, where: { id: event.sendId } }),
    }),
    status: t.expose('status', { type: SendStatusEnum, description: 'The status the send entered (on a gift event: its status at that time).' }),
    giftStatus: t.expose('giftStatus', { type: GiftStatusEnum, nullable: true, description: 'The status the gift entered; null on the send’s own status changes.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the change was recorded; for a provider report, the time the provider gives.' }),
    cursor: t.exposeString('cursor', { description: 'Opaque position in the tenant’s log: pass it as `after` to resume right after this event.' }),
    channel: t.expose('channel', { type: ChannelEnum, description: 'The send’s channel.' }),
    provider: t.exposeString('provider', { nullable: true, description: 'The plugin that handled the send (or issued the gift), when one has.' }),
    providerAt: t.expose('providerAt', { type: 'DateTime', nullable: true, description: 'When the provider says the change happened, if it reported a time.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why: the attempt number of SENDING, the reason of a retry, BLOCKED or FAILED; never personal data.' }),
  }),
});

/** Re-checks the subscriber's credentials: a revoked key, an expired token or a lost role ends the stream. */
const recheckFor = (ctx: Context, tenantId: string) => async () => {
  const principal = await ctx.reauthenticate();
  if (!principal) throw unauthenticated();
  if (!hasTenantRole(principal, tenantId, ANY_ROLE)) throw forbidden();
};

builder.subscriptionField('sendStatusChanged', (t) =>
  t.field({
    type: SendStatusEventRef,
    description:
      'Status changes of the tenant’s sends and gifts, in log order, exactly once each; filter by send or campaign. VIEWER or above of the tenant, or PLATFORM_ADMIN. Refused at start with UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (unknown or foreign send/campaign) or BAD_USER_INPUT (cursor); ends with UNAUTHENTICATED/FORBIDDEN when the key is revoked or the token expires, and with RATE_LIMITED when the subscriber falls behind (resume with `after`).',
    args: {
      tenantId: t.arg.globalID({ for: TenantRef, required: true, description: 'The tenant whose events to follow.' }),
      sendId: t.arg.globalID({ for: SendRef, description: 'Only this send’s events (NOT_FOUND if it is not the tenant’s).' }),
      campaignId: t.arg.globalID({ for: CampaignRef, description: 'Only the events of this campaign’s sends (NOT_FOUND if it is not the tenant’s).' }),
      after: t.arg.string({ description: 'The `cursor` of the last event received: every later event is replayed from the log first, then live ones follow. Without it only new events arrive. Not a cursor of this tenant: BAD_USER_INPUT.' }),
    },
    authScopes: (_root, args) => inTenant(args.tenantId.id, ANY_ROLE),
    subscribe: (_root, args, ctx) =>
      followSendStatus(
        { prisma: ctx.app.prisma, readEvents: ctx.app.eventReader, events: ctx.app.events, settings: ctx.app.config.subscriptions, metrics: ctx.app.metrics },
        { tenantId: args.tenantId.id, sendId: args.sendId?.id, campaignId: args.campaignId?.id, after: args.after, recheck: recheckFor(ctx, args.tenantId.id) },
      ),
    resolve: (event) => event,
  }),
);
