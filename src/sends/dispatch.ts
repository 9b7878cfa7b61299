// The dispatcher: takes one send id from the queue and carries the send to a provider.
// The send row is the source of truth. A worker first waits for the provider's rate limit,
// then claims the send (QUEUED, or SENDING whose lease ran out) with a guarded UPDATE, so two
// workers never both dispatch it; the lease covers only the provider call. Retryable errors
// come back QUEUED with exponential backoff and jitter; permanent ones and exhausted retries
// fail over to the next channel configuration by priority, and only then FAIL.
// Database work of concurrent dispatches is coalesced into one statement per step
// (DataLoader), which is what lets a pool of workers keep up with a fast provider.
import type { ChannelDeps, OpenChannelConfig } from '../channels/channel-configs.ts';
import { loadChannelConfig } from '../channels/channel-configs.ts';
import { ProviderError, type ChannelKind, type RecipientData } from '../channels/contract.ts';
import { pickRecipientFields } from '../channels/recipient-fields.ts';
import { batched } from '../batch.ts';
import { AppError } from '../errors.ts';
import { newUuidV7 } from '../ids.ts';
import type { Logger } from '../log.ts';
import { decide, type LegalBasis } from '../privacy/consent.ts';
import { decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';
import { decryptRecipient } from '../recipients/recipients.ts';
import { openMessage, render, type Message } from './message.ts';
import { applyProviderEvents } from './provider-events.ts';
import type { DispatchQueue } from './queue.ts';
import type { RateLimit, RateLimiter } from './rate-limiter.ts';
import { clip, moveMany, type Moved, type Transition } from './status.ts';

export interface DispatchSettings {
  /** Attempts on one channel configuration before failing over. */
  maxAttemptsPerConfig: number;
  /** First retry delay; doubles per attempt, with jitter, up to maxRetryDelayMs. */
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** How long a SENDING claim lasts before another worker may take the send over. */
  leaseMs: number;
}

export interface DispatchDeps extends ChannelDeps {
  log: Logger;
  queue: DispatchQueue;
  rateLimiter: RateLimiter;
  settings: DispatchSettings;
}

/** Opened channel configurations are reused this long, so a burst does not decrypt them per send. */
const CONFIG_CACHE_MS = 5_000;
/** The share of a lease a dispatch may use; the rest is margin for recording the outcome. */
const LEASE_USABLE = 0.8;

interface ClaimedSend {
  id: string;
  tenantId: string;
  recipientId: string | null;
  campaignId: string | null;
  channel: ChannelKind;
  purposeKey: string;
  messageEnc: Uint8Array | null;
  giftPluginId: string | null;
  giftOfferId: string | null;
  giftExpiresAt: Date | null;
  channelConfigId: string | null;
  attempts: number;
  configAttempts: number;
  gift: { providerGiftId: string; codeEnc: Uint8Array | null; urlEnc: Uint8Array | null } | null;
  /** Null once the recipient has been erased. */
  recipient: RecipientRow | null;
}

interface Peek {
  id: string;
  tenantId: string;
  channel: ChannelKind;
  channelConfigId: string | null;
  status: string;
}

interface RecipientRow {
  id: string;
  tenantId: string;
  externalIdEnc: Uint8Array;
  nameEnc: Uint8Array | null;
  phoneEnc: Uint8Array | null;
  emailEnc: Uint8Array | null;
  pushTokensEnc: Uint8Array | null;
  locale: string | null;
  restricted: boolean;
  objected: boolean;
  legalBasis: LegalBasis | null;
  consentGranted: boolean | null;
  consentWithdrawnAt: Date | null;
}

type ClaimRow = Omit<ClaimedSend, 'gift' | 'recipient'> &
  Omit<RecipientRow, 'id' | 'tenantId'> & { providerGiftId: string | null; codeEnc: Uint8Array | null; urlEnc: Uint8Array | null; foundRecipientId: string | null };

function claimedSend(row: ClaimRow): ClaimedSend {
  const { providerGiftId, codeEnc, urlEnc, foundRecipientId, externalIdEnc, nameEnc, phoneEnc, emailEnc, pushTokensEnc, locale, restricted, objected, legalBasis, consentGranted, consentWithdrawnAt, ...send } = row;
  const bytes = (value: Uint8Array | null) => (value ? new Uint8Array(value) : null);
  return {
    ...send,
    gift: providerGiftId ? { providerGiftId, codeEnc: bytes(codeEnc), urlEnc: bytes(urlEnc) } : null,
    recipient: foundRecipientId
      ? { id: foundRecipientId, tenantId: send.tenantId, externalIdEnc, nameEnc, phoneEnc, emailEnc, pushTokensEnc, locale, restricted, objected, legalBasis, consentGranted, consentWithdrawnAt }
      : null,
  };
}

interface CampaignContent {
  message: Message;
}

/** The exponential backoff with "equal jitter": half fixed, half random, never zero. */
export function retryDelay(settings: DispatchSettings, attempt: number): number {
  const ceiling = Math.min(settings.maxRetryDelayMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export class Dispatcher {
  private readonly configCache = new Map<string, { at: number; configs: Promise<OpenChannelConfig[]> }>();
  private readonly campaignCache = new Map<string, Promise<CampaignContent>>();

  private readonly peeks = batched<string, Peek | null>(async (ids) => {
    const rows = await this.deps.prisma.$queryRawUnsafe<Peek[]>(
      `SELECT "id", "tenantId", "channel"::text AS "channel", "channelConfigId", "status"::text AS "status" FROM "Send" WHERE "id" = ANY($1::uuid[])`,
      [...ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /** Claims the sends and reads, in the same statement, what the attempt needs: gift, recipient, purpose and consent. */
  private readonly claims = batched<{ id: string; provider: string | null }, ClaimedSend | null>(async (keys) => {
    const ids = keys.map((k) => k.id);
    const rows = await this.deps.prisma.$queryRawUnsafe<ClaimRow[]>(
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS v("id", "eventId", "provider")
       ), claimed AS (
         UPDATE "Send" s SET "status" = 'SENDING', "attempts" = s."attempts" + 1, "configAttempts" = s."configAttempts" + 1,
           "provider" = COALESCE(v."provider", s."provider"), "leaseUntil" = now() + ($4::int * interval '1 millisecond'), "updatedAt" = now()
         FROM v
         WHERE s."id" = v."id" AND (
           (s."status" = 'QUEUED' AND (s."nextAttemptAt" IS NULL OR s."nextAttemptAt" <= now()))
           OR (s."status" = 'SENDING' AND s."leaseUntil" < now()))
         RETURNING s.*, v."eventId"
       ), events AS (
         INSERT INTO "SendEvent" ("id", "tenantId", "sendId", "status", "at", "provider", "detail")
         SELECT "eventId", "tenantId", "id", 'SENDING', now(), "provider", 'attempt ' || "attempts" FROM claimed
       )
       SELECT c."id", c."tenantId", c."recipientId", c."campaignId", c."channel"::text AS "channel", c."purposeKey", c."messageEnc",
         c."giftPluginId", c."giftOfferId", c."giftExpiresAt", c."channelConfigId", c."attempts", c."configAttempts",
         g."providerGiftId", g."codeEnc", g."urlEnc",
         r."id" AS "foundRecipientId", r."externalIdEnc", r."nameEnc", r."phoneEnc", r."emailEnc", r."pushTokensEnc", r."locale",
         r."restricted", r."objected", p."legalBasis"::text AS "legalBasis", cs."granted" AS "consentGranted", cs."withdrawnAt" AS "consentWithdrawnAt"
       FROM claimed c
       LEFT JOIN "Gift" g ON g."sendId" = c."id"
       LEFT JOIN "Recipient" r ON r."id" = c."recipientId"
       LEFT JOIN "Purpose" p ON p."tenantId" = c."tenantId" AND p."key" = c."purposeKey"
       LEFT JOIN "Consent" cs ON cs."recipientId" = c."recipientId" AND cs."channel" = c."channel" AND cs."purposeKey" = c."purposeKey"`,
      ids,
      ids.map(() => newUuidV7()),
      keys.map((k) => k.provider),
      this.deps.settings.leaseMs,
    );
    const byId = new Map(rows.map((row) => [row.id, claimedSend(row)]));
    // The same send twice in one batch (a duplicate job) is dispatched once.
    const seen = new Set<string>();
    return ids.map((id) => (seen.has(id) ? null : (seen.add(id), byId.get(id) ?? null)));
  });

  private readonly finishes = batched<Transition, Moved | null>(async (transitions) => {
    const moved = await moveMany(this.deps.prisma, [...transitions]);
    const byId = new Map(moved.map((m) => [m.sendId, m]));
    return transitions.map((t) => byId.get(t.sendId) ?? null);
  });

  /** Reports that arrived before the send recorded its provider id are applied once it has. */
  private readonly earlyReports = batched<string, number>(async (refs) => {
    const applied = await applyProviderEvents(this.deps, { providerRefs: [...refs] });
    return refs.map(() => applied);
  });

  constructor(private readonly deps: DispatchDeps) {}

  /** The queue's handler: one attempt at one send. Never throws for a provider's failure. */
  async dispatch(sendId: string, signal: AbortSignal): Promise<void> {
    const peek = await this.peeks.load(sendId);
    if (!peek || (peek.status !== 'QUEUED' && peek.status !== 'SENDING')) return;
    const configs = await this.channelConfigs(peek.tenantId, peek.channel);
    const config = configs.find((c) => c.id === peek.channelConfigId) ?? configs[0];
    const limit = config && rateLimitOf(config);
    if (limit) await this.deps.rateLimiter.acquire(`channel:${config.id}`, limit, signal);

    const send = await this.claims.load({ id: sendId, provider: config?.pluginId ?? null });
    if (!send) return;
    // Provider calls end before the lease does, so a send taken over after its lease ran out
    // is never still being sent by the worker that lost it.
    const withinLease = AbortSignal.any([signal, AbortSignal.timeout(Math.floor(this.deps.settings.leaseMs * LEASE_USABLE))]);
    const transition = await this.attempt(send, configs, config, withinLease).catch((err: unknown) => this.onError(send, configs, config, err));
    const moved = await this.finishes.load({ ...transition, attempt: send.attempts });
    if (moved?.status === 'QUEUED') await this.deps.queue.enqueue([{ sendId, attempt: send.attempts, runAt: transition.nextAttemptAt }]);
    if (moved?.status === 'SENT') await this.earlyReports.load(transition.providerMessageId!);
  }

  /** Runs the attempt and returns where the send goes next; throws to hand errors to onError. */
  private async attempt(send: ClaimedSend, configs: OpenChannelConfig[], config: OpenChannelConfig | undefined, signal: AbortSignal): Promise<Transition> {
    const fail = (reason: string): Transition => ({ sendId: send.id, to: 'FAILED', reason });
    if (!send.recipientId) return fail('The recipient was erased before the send went out');
    if (!config) return fail(`No enabled ${send.channel} channel is configured`);

    const recipient = send.recipient;
    if (!recipient) return fail('The recipient was erased before the send went out');
    if (!recipient.legalBasis) return fail(`The purpose "${send.purposeKey}" no longer exists`);
    // Consent is checked again at dispatch: a withdrawal after creation (or before a scheduled time) wins.
    const decision = decide({
      legalBasis: recipient.legalBasis,
      purpose: send.purposeKey,
      channel: send.channel,
      restricted: recipient.restricted,
      objected: recipient.objected,
      consent: recipient.consentGranted === null ? null : { granted: recipient.consentGranted, withdrawnAt: recipient.consentWithdrawnAt },
    });
    if (!decision.allowed) return { sendId: send.id, to: 'BLOCKED', reason: `${decision.code}: ${decision.reason}` };

    const keys = await this.deps.tenantKeys.get(send.tenantId);
    const person = decryptRecipient(keys, recipient);
    const to: RecipientData = { name: person.name, phone: person.phone, email: person.email, pushTokens: person.pushTokens, locale: recipient.locale };

    const gift = send.giftOfferId ? await this.issueGift(send, keys, to, signal) : null;
    const message = send.messageEnc ? openMessage(keys, 'Send', send.id, send.messageEnc) : (await this.campaignContent(send.campaignId!, keys)).message;
    const values = { name: person.name, gift };
    const result = await config.plugin.send!(
      {
        sendId: send.id,
        idempotencyKey: send.id,
        to: pickRecipientFields(to, config.plugin.recipientFields),
        subject: message.subject == null ? null : render(message.subject, values),
        body: render(message.body, values),
      },
      { config: config.config, callbackUrl: config.callbackUrl, signal },
    );
    return { sendId: send.id, to: result.status, at: new Date(), provider: config.pluginId, providerMessageId: result.providerMessageId, channelConfigId: config.id };
  }

  /** Issues the send's gift once (the Gift row makes a retry reuse it), returning its code and link. */
  private async issueGift(send: ClaimedSend, keys: TenantKeys, to: RecipientData, signal: AbortSignal): Promise<{ code: string | null; url: string | null }> {
    const context = (field: string) => `Gift:${send.id}:${field}`;
    if (send.gift) {
      return {
        code: send.gift.codeEnc ? decryptField(keys, send.gift.codeEnc, context('code')) : null,
        url: send.gift.urlEnc ? decryptField(keys, send.gift.urlEnc, context('url')) : null,
      };
    }
    const coupons = await this.channelConfigs(send.tenantId, 'COUPON');
    const coupon = send.giftPluginId ? coupons.find((c) => c.pluginId === send.giftPluginId) : coupons[0];
    if (!coupon) throw new GiftError(`No enabled COUPON channel${send.giftPluginId ? ` for ${send.giftPluginId}` : ''} is configured`);
    const limit = rateLimitOf(coupon);
    if (limit) await this.deps.rateLimiter.acquire(`channel:${coupon.id}`, limit, signal);
    let result;
    try {
      result = await coupon.plugin.issue!(
        { sendId: send.id, idempotencyKey: `gift:${send.id}`, offerId: send.giftOfferId!, expiresAt: send.giftExpiresAt, to: pickRecipientFields(to, coupon.plugin.recipientFields) },
        { config: coupon.config, callbackUrl: coupon.callbackUrl, signal },
      );
    } catch (err) {
      // A retryable issue failure retries the whole send; a permanent one fails it without a message.
      if (err instanceof ProviderError && !err.retryable) throw new GiftError(`The gift could not be issued by ${coupon.pluginId}: ${err.reason}`);
      throw err;
    }
    await this.deps.prisma.gift.create({
      data: {
        tenantId: send.tenantId,
        sendId: send.id,
        pluginId: coupon.pluginId,
        channelConfigId: coupon.id,
        offerId: send.giftOfferId!,
        providerGiftId: result.providerGiftId,
        codeEnc: result.code ? encryptField(keys, result.code, context('code')) : null,
        urlEnc: result.url ? encryptField(keys, result.url, context('url')) : null,
        expiresAt: result.expiresAt ?? send.giftExpiresAt,
      },
    });
    return { code: result.code ?? null, url: result.url ?? null };
  }

  /** Retry, fail over, or fail: the error decides. Messages hold no personal data (plugins' errors are checked for that). */
  private onError(send: ClaimedSend, configs: OpenChannelConfig[], config: OpenChannelConfig | undefined, err: unknown): Transition {
    if (err instanceof GiftError) return { sendId: send.id, to: 'FAILED', reason: err.message };
    const providerError = err instanceof ProviderError ? err : null;
    if (!providerError) this.deps.log.error({ sendId: send.id, err: { type: (err as Error)?.name } }, 'dispatch attempt crashed');
    const retryable = providerError ? providerError.retryable : !(err instanceof AppError);
    const what = providerError ? `${config?.pluginId}: ${providerError.reason}${providerError.status ? ` (HTTP ${providerError.status})` : ''}` : `${config?.pluginId}: internal error`;

    if (retryable && send.configAttempts < this.deps.settings.maxAttemptsPerConfig) {
      const delay = Math.max(providerError?.retryAfterMs ?? 0, retryDelay(this.deps.settings, send.configAttempts));
      return { sendId: send.id, to: 'QUEUED', retry: true, reason: clip(`${what}; retry ${send.configAttempts + 1} in ${delay} ms`), nextAttemptAt: new Date(Date.now() + delay) };
    }
    const index = config ? configs.findIndex((c) => c.id === config.id) : -1;
    const next = index >= 0 ? configs[index + 1] : undefined;
    if (next) {
      return { sendId: send.id, to: 'QUEUED', retry: true, reason: clip(`${what}; failing over to ${next.pluginId}`), channelConfigId: next.id, resetConfigAttempts: true };
    }
    const exhausted = retryable ? `; gave up after ${send.configAttempts} attempts` : '';
    return { sendId: send.id, to: 'FAILED', reason: clip(`${what}${exhausted}`) };
  }

  /** The tenant's enabled configurations of a channel, opened, by priority. */
  private channelConfigs(tenantId: string, channel: ChannelKind): Promise<OpenChannelConfig[]> {
    const key = `${tenantId}|${channel}`;
    const cached = this.configCache.get(key);
    if (cached && Date.now() - cached.at < CONFIG_CACHE_MS) return cached.configs;
    const configs = (async () => {
      const rows = await this.deps.prisma.channelConfig.findMany({
        where: { tenantId, channel, enabled: true },
        orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }],
        select: { id: true },
      });
      const opened = await Promise.all(rows.map((r) => loadChannelConfig(this.deps, r.id).catch(() => null)));
      return opened.filter((c): c is OpenChannelConfig => c !== null && typeof (channel === 'COUPON' ? c.plugin.issue : c.plugin.send) === 'function');
    })();
    configs.catch(() => this.configCache.delete(key));
    this.configCache.set(key, { at: Date.now(), configs });
    return configs;
  }

  private campaignContent(campaignId: string, keys: TenantKeys): Promise<CampaignContent> {
    let content = this.campaignCache.get(campaignId);
    if (!content) {
      content = this.deps.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { messageEnc: true } }).then((c) => ({
        message: openMessage(keys, 'Campaign', campaignId, c.messageEnc!),
      }));
      content.catch(() => this.campaignCache.delete(campaignId));
      // Campaign content never changes; the cache only needs a bound.
      if (this.campaignCache.size >= 1000) this.campaignCache.delete(this.campaignCache.keys().next().value!);
      this.campaignCache.set(campaignId, content);
    }
    return content;
  }
}

/** A gift that cannot be issued for good: the send fails without a message. */
class GiftError extends Error {}

/** The configuration's own limit (messages per second), else the plugin's documented one. */
function rateLimitOf(config: OpenChannelConfig): RateLimit | null {
  const perSecond = config.config.maxPerSecond;
  if (typeof perSecond === 'number') return { max: perSecond, perMs: 1000 };
  return config.plugin.rateLimit ?? null;
}
