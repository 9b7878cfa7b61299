// The local catcher: one plugin per channel that sends nothing anywhere. It notes what would
// have gone out in a small in-memory ring buffer and calls the platform back as a provider would,
// so the embedded default works end to end without any provider account.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCouponPlugin, defineMessagePlugin, type ChannelPlugin, type CouponPlugin, type MessageChannelKind, type MessagePlugin, type RecipientData, type RecipientField, type StatusEvent } from '../../src/channels/contract.ts';
import { requireEmail, requirePhone, requirePushTokens } from '../../src/channels/kit/index.ts';

export interface DevOutboxEntry {
  pluginId: string;
  sendId: string;
  providerId: string;
  /** Names of the recipient fields that were present; never their values. */
  fields: RecipientField[];
  bodyLength: number;
  at: Date;
}

/** A bounded ring buffer: the newest `capacity` entries, oldest first. */
export class DevOutbox {
  private readonly items: DevOutboxEntry[] = [];
  constructor(readonly capacity = 100) {}

  record(entry: DevOutboxEntry): void {
    this.items.push(entry);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  list(): DevOutboxEntry[] {
    return [...this.items];
  }

  /** Drops the entries for these provider ids; returns how many went. */
  remove(providerIds: readonly string[]): number {
    const before = this.items.length;
    const drop = new Set(providerIds);
    for (let i = this.items.length - 1; i >= 0; i--) if (drop.has(this.items[i]!.providerId)) this.items.splice(i, 1);
    return before - this.items.length;
  }

  clear(): void {
    this.items.length = 0;
  }
}

export const devOutbox = new DevOutbox(100);

export const devConfigSchema = z.object({});
export type DevConfig = z.infer<typeof devConfigSchema>;

export interface DevPluginOptions {
  /** Delay before the 'delivered' callback (default 200 ms). */
  deliveryDelayMs?: number;
  /** Delay before the 'redeemed' callback for coupons (default 1000 ms). */
  redeemDelayMs?: number;
  /** First delay before a failed callback is posted again (default 1000 ms, doubling per retry). */
  callbackRetryMs?: number;
}

const SUBPROCESSOR = {
  name: 'Local development catcher',
  legalEntity: 'none (runs inside this service)',
  purpose: 'Catching messages during development instead of sending them',
  location: 'This service',
  transferMechanism: null,
};

/** Retries of a callback that failed, as real providers do (46elks retries for hours). */
const CALLBACK_ATTEMPTS = 8;

/**
 * Posts `{ id, status }` to the callback URL after `delayMs`. A network error or an answer
 * other than 2xx is retried with exponential backoff (`retryMs`, doubling), so a report
 * survives a busy or restarting service the way a real provider's would.
 */
function callBackLater(url: string, payload: { id: string; status: string }, delayMs: number, retryMs: number, attempt = 1): void {
  const timer = setTimeout(() => {
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })
      .then(async (res) => {
        await res.arrayBuffer();
        return res.ok;
      })
      .catch(() => false)
      .then((delivered) => {
        if (!delivered && attempt < CALLBACK_ATTEMPTS) callBackLater(url, payload, retryMs * 2 ** (attempt - 1), retryMs, attempt + 1);
      });
  }, delayMs);
  timer.unref();
}

function presentFields(to: RecipientData): RecipientField[] {
  return (Object.keys(to) as RecipientField[]).filter((field) => {
    const value = to[field];
    return value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  });
}

const MESSAGE_STATUS: Record<string, 'SENT' | 'DELIVERED' | 'FAILED'> = { sent: 'SENT', delivered: 'DELIVERED', failed: 'FAILED' };
const GIFT_STATUS: Record<string, 'REDEEMED' | 'EXPIRED' | 'CANCELED'> = { redeemed: 'REDEEMED', expired: 'EXPIRED', canceled: 'CANCELED' };

async function parseDevCallback(rawBody: string, idPrefix: string): Promise<StatusEvent[]> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return [];
  }
  if (!body || typeof body !== 'object') return [];
  const { id, status } = body as { id?: unknown; status?: unknown };
  if (typeof id !== 'string' || !id.startsWith(idPrefix) || typeof status !== 'string') return [];
  const at = new Date();
  if (MESSAGE_STATUS[status] && !idPrefix.startsWith('dev-coupon')) {
    return [{ kind: 'message', providerMessageId: id, status: MESSAGE_STATUS[status], at, detail: `dev catcher: ${status}` }];
  }
  if (GIFT_STATUS[status] && idPrefix.startsWith('dev-coupon')) {
    return [{ kind: 'gift', providerGiftId: id, status: GIFT_STATUS[status], at, detail: `dev catcher: ${status}` }];
  }
  return [];
}

interface MessageChannelSpec {
  id: string;
  channel: MessageChannelKind;
  displayName: string;
  recipientFields: RecipientField[];
  dataCategories: string[];
  /** Throws when the recipient lacks the address the channel cannot do without. */
  requireAddress: (to: RecipientData) => unknown;
}

function messagePlugin(spec: MessageChannelSpec, timing: Required<DevPluginOptions>): MessagePlugin<DevConfig> {
  return defineMessagePlugin<DevConfig>({
    id: spec.id,
    channel: spec.channel,
    displayName: spec.displayName,
    subprocessor: { ...SUBPROCESSOR, dataCategories: spec.dataCategories },
    recipientFields: spec.recipientFields,
    configSchema: devConfigSchema,
    async send(message, ctx) {
      spec.requireAddress(message.to);
      const providerId = `${spec.id}-${randomUUID()}`;
      devOutbox.record({
        pluginId: spec.id,
        sendId: message.sendId,
        providerId,
        fields: presentFields(message.to),
        bodyLength: message.body.length,
        at: new Date(),
      });
      callBackLater(ctx.callbackUrl, { id: providerId, status: 'delivered' }, timing.deliveryDelayMs, timing.callbackRetryMs);
      return { providerMessageId: providerId, status: 'SENT' };
    },
    parseWebhook: (request) => parseDevCallback(request.rawBody, `${spec.id}-`),
    async erase(subject) {
      const removed = devOutbox.remove(subject.providerMessageIds);
      return { erased: true, detail: `removed ${removed} entr${removed === 1 ? 'y' : 'ies'} from the local outbox` };
    },
  });
}

function couponPlugin(timing: Required<DevPluginOptions>): CouponPlugin<DevConfig> {
  const id = 'dev-coupon';
  return defineCouponPlugin<DevConfig>({
    id,
    channel: 'COUPON',
    displayName: 'Development coupons (local catcher)',
    subprocessor: { ...SUBPROCESSOR, dataCategories: ['offer id', 'gift code', 'redemption status'] },
    recipientFields: [],
    configSchema: devConfigSchema,
    async issue(gift, ctx) {
      const providerGiftId = `${id}-${randomUUID()}`;
      const code = randomBytes(6).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 8);
      devOutbox.record({ pluginId: id, sendId: gift.sendId, providerId: providerGiftId, fields: presentFields(gift.to), bodyLength: 0, at: new Date() });
      callBackLater(ctx.callbackUrl, { id: providerGiftId, status: 'redeemed' }, timing.redeemDelayMs, timing.callbackRetryMs);
      return { providerGiftId, code, url: `https://dev-coupon.invalid/g/${code}`, expiresAt: gift.expiresAt ?? null };
    },
    parseWebhook: (request) => parseDevCallback(request.rawBody, `${id}-`),
    async erase(subject) {
      const removed = devOutbox.remove(subject.providerGiftIds);
      return { erased: true, detail: `removed ${removed} entr${removed === 1 ? 'y' : 'ies'} from the local outbox` };
    },
  });
}

/** One local catcher per channel: ids dev-sms, dev-email, dev-push and dev-coupon. */
export function createDevPlugins(opts: DevPluginOptions = {}): [sms: MessagePlugin<DevConfig>, email: MessagePlugin<DevConfig>, push: MessagePlugin<DevConfig>, coupon: CouponPlugin<DevConfig>] {
  const timing = { deliveryDelayMs: opts.deliveryDelayMs ?? 200, redeemDelayMs: opts.redeemDelayMs ?? 1000, callbackRetryMs: opts.callbackRetryMs ?? 1000 };
  return [
    messagePlugin(
      { id: 'dev-sms', channel: 'SMS', displayName: 'Development SMS (local catcher)', recipientFields: ['phone'], dataCategories: ['phone number', 'message text'], requireAddress: requirePhone },
      timing,
    ),
    messagePlugin(
      {
        id: 'dev-email',
        channel: 'EMAIL',
        displayName: 'Development e-mail (local catcher)',
        recipientFields: ['email', 'name'],
        dataCategories: ['e-mail address', 'name', 'subject', 'message text'],
        requireAddress: requireEmail,
      },
      timing,
    ),
    messagePlugin(
      {
        id: 'dev-push',
        channel: 'PUSH',
        displayName: 'Development push (local catcher)',
        recipientFields: ['pushTokens'],
        dataCategories: ['push token', 'title', 'message text'],
        requireAddress: requirePushTokens,
      },
      timing,
    ),
    couponPlugin(timing),
  ];
}

/** The registry installs these only where dev plugins are allowed (never by default in production). */
export const devOnly = true;
export const plugins: readonly ChannelPlugin<DevConfig>[] = createDevPlugins();
