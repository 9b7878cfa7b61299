// What a partner endpoint receives for one event of the log: a thin payload of ids, statuses,
// channel, provider, times and reason codes, never personal data. The payload is fixed when
// the delivery is created, so every attempt (and a redelivery) posts the same bytes.
import type { Channel, GiftStatus, SendStatus } from '../db/generated/enums.ts';
import { encodeGlobalId } from '../ids.ts';

/** One entry of the tenant's event log, as far as webhooks use it. */
export interface WebhookEvent {
  tenantId: string;
  position: bigint;
  /** The log cursor of this event: a subscription resumed after it starts with the next one. */
  cursor: string;
  sendId: string;
  campaignId: string | null;
  status: SendStatus;
  /** Set on gift events (issued, redeemed ...), null on send status changes. */
  giftStatus: GiftStatus | null;
  channel: Channel;
  provider: string | null;
  /** When the provider says it happened, when it reported it. */
  providerAt: Date | null;
  at: Date;
  /** A reason code (not free text) for BLOCKED, FAILED and retries. */
  reason: string | null;
}

/** Which events an endpoint receives; both lists empty: every event. */
export interface EventFilter {
  statuses: readonly SendStatus[];
  giftStatuses: readonly GiftStatus[];
}

export const TEST_EVENT_TYPE = 'webhook.test';

export function eventType(event: Pick<WebhookEvent, 'status' | 'giftStatus'>): string {
  return event.giftStatus ? `gift.${event.giftStatus.toLowerCase()}` : `send.${event.status.toLowerCase()}`;
}

export function matches(filter: EventFilter, event: Pick<WebhookEvent, 'status' | 'giftStatus'>): boolean {
  if (filter.statuses.length === 0 && filter.giftStatuses.length === 0) return true;
  return event.giftStatus ? filter.giftStatuses.includes(event.giftStatus) : filter.statuses.includes(event.status);
}

/** The JSON body posted for an event; ids are the API's global ids, so partners can query them. */
export function eventPayload(event: WebhookEvent): string {
  return JSON.stringify({
    type: eventType(event),
    timestamp: event.at.toISOString(),
    data: {
      cursor: event.cursor,
      tenantId: encodeGlobalId('Tenant', event.tenantId),
      sendId: encodeGlobalId('Send', event.sendId),
      campaignId: event.campaignId ? encodeGlobalId('Campaign', event.campaignId) : null,
      status: event.status,
      giftStatus: event.giftStatus,
      channel: event.channel,
      provider: event.provider,
      providerAt: event.providerAt?.toISOString() ?? null,
      at: event.at.toISOString(),
      reason: event.reason,
    },
  });
}

/** The body of sendTestWebhook's delivery: the same envelope, with the endpoint's ids only. */
export function testPayload(tenantId: string, endpointId: string, at: Date): string {
  return JSON.stringify({
    type: TEST_EVENT_TYPE,
    timestamp: at.toISOString(),
    data: { tenantId: encodeGlobalId('Tenant', tenantId), endpointId: encodeGlobalId('WebhookEndpoint', endpointId) },
  });
}
