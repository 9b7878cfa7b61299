// The dispatcher: takes one send id from the queue and carries the send to a provider.
// The send row is the source of truth. A worker first waits for the provider's rate limit,
// then claims the send (claims.ts) under a lease kept alive while the provider call runs
// (lease.ts). Consent is checked again, the gift issued once (gifts.ts), the message rendered
// and handed to the plugin; a failure goes to the retry policy (retry-policy.ts). A provider's
// acceptance is recorded whatever the database does meanwhile (outcome-journal.ts), because
// losing it would send the message twice. Database work of concurrent dispatches is coalesced
// into one statement per step, which is what lets a pool of workers keep up with a fast provider.
import type { OpenChannel, TenantChannels } from '../../channels/open-channels.ts';
import { ProviderError, type MessageChannelKind, type MessagePlugin, type RecipientData } from '../../channels/contract.ts';
import { pickRecipientFields } from '../../channels/recipient-fields.ts';
import { batched } from '../../batch.ts';
import type { DispatchSettings } from '../../config.ts';
import type { PrismaClient } from '../../db/client.ts';
import { errorFields, type Logger } from '../../log.ts';
import type { AttemptOutcome, Metrics } from '../../metrics.ts';
import { contactFacts, decide } from '../../privacy/consent.ts';
import type { TenantKeyStore, TenantKeys } from '../../privacy/tenant-keys.ts';
import { decryptRecipient } from '../../recipients/sealed-fields.ts';
import { openMessage, render, type Message } from '../message.ts';
import { applyProviderEvents } from '../provider-events.ts';
import type { DispatchQueue } from '../queue.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import { moveMany, type Moved, type Transition } from '../status.ts';
import { publishWritten, type EventBus } from '../../events/bus.ts';
import { sendClaims, type ClaimedSend, type SendClaims } from './claims.ts';
import { issueGift } from './gifts.ts';
import { holdLease } from './lease.ts';
import type { OutcomeJournal } from './outcome-journal.ts';
import { afterFailure, classify, FinalFailure } from './retry-policy.ts';

export interface DispatchDeps {
  prisma: PrismaClient;
  tenantKeys: TenantKeyStore;
  channels: TenantChannels;
  log: Logger;
  queue: DispatchQueue;
  rateLimiter: RateLimiter;
  journal: OutcomeJournal;
  metrics: Pick<Metrics, 'attempt' | 'takeover'>;
  settings: DispatchSettings;
  /** Woken after each event the dispatcher writes; never awaited. */
  events: Pick<EventBus, 'publish'>;
}

/** Backoff of the retries that record a provider's acceptance while the database is away. */
const RECORD_RETRY_FIRST_MS = 100;
const RECORD_RETRY_MAX_MS = 2_000;
/** Campaign content never changes; the cache only needs a bound. */
const MAX_CACHED_CAMPAIGNS = 1000;

export class Dispatcher {
  private readonly claims: SendClaims;
  private readonly campaignCache = new Map<string, Promise<Message>>();

  private readonly finishes = batched<Transition, Moved | null>(async (transitions) => {
    const moved = await moveMany(this.deps.prisma, [...transitions]);
    publishWritten(this.deps.events, moved);
    const byId = new Map(moved.map((m) => [m.sendId, m]));
    return transitions.map((t) => byId.get(t.sendId) ?? null);
  });

  /** Reports that arrived before the send recorded its provider id are applied once it has. */
  private readonly earlyReports = batched<string, number>(async (refs) => {
    const applied = await applyProviderEvents(this.deps, { providerRefs: [...refs] });
    return refs.map(() => applied);
  });

  constructor(private readonly deps: DispatchDeps) {
    this.claims = sendClaims(deps.prisma, deps.settings.leaseMs);
  }

  /** The queue's handler: one attempt at one send. Never throws for a provider's failure. */
  async dispatch(sendId: string, signal: AbortSignal): Promise<void> {
    const peek = await this.claims.peek(sendId);
    if (!peek || (peek.status !== 'QUEUED' && peek.status !== 'SENDING')) return;
    // A COUPON send does not exist: gifts travel with a message (send-request.ts).
    const configs = await this.deps.channels.messageChannels(peek.tenantId, peek.channel as MessageChannelKind);
    const config = configs.find((c) => c.id === peek.channelConfigId) ?? configs[0];
    if (config?.rateLimit) await this.deps.rateLimiter.acquire(`channel:${config.id}`, config.rateLimit, signal);

    const send = await this.claims.claim(sendId, config?.pluginId ?? null);
    if (!send) return;
    publishWritten(this.deps.events, [{ tenantId: send.tenantId, position: send.eventPosition }]);
    const startedAt = performance.now();
    const transition = (await this.heldOutcome(send)) ?? (await this.attemptUnderLease(send, configs, config, signal));
    const moved = await this.record({ ...transition, attempt: send.attempts }, signal);
    // Ids, plugin, status and reason only: reasons are built free of personal data.
    const ms = performance.now() - startedAt;
    this.deps.metrics.attempt(config?.pluginId ?? null, outcomeOf(transition), ms / 1000);
    const outcome = { sendId, attempt: send.attempts, plugin: config?.pluginId ?? null, to: transition.to, ms: Math.round(ms), recorded: moved !== null };
    if (transition.to === 'SENT' || transition.to === 'DELIVERED') this.deps.log.debug(outcome, 'dispatched');
    else this.deps.log.info({ ...outcome, reason: transition.reason, failover: transition.resetConfigAttempts === true, retryAt: transition.nextAttemptAt }, 'dispatch attempt did not deliver');
    if (moved?.status === 'QUEUED') await this.deps.queue.enqueue([{ sendId, attempt: send.attempts, runAt: transition.nextAttemptAt }]);
    if (moved?.status === 'SENT') await this.earlyReports.load(transition.providerMessageId!);
  }

  /** On a takeover, the earlier attempt's acceptance if it is held unrecorded: the provider has the message already. */
  private async heldOutcome(send: ClaimedSend): Promise<Transition | null> {
    if (!send.takeover) return null;
    const held = await this.deps.journal.take(send.id).catch(() => null);
    this.deps.metrics.takeover(held ? 'held' : 'unknown');
    if (!held) {
      // The earlier attempt may or may not have reached the provider; sending again is the only way to be sure it arrives.
      this.deps.log.warn({ sendId: send.id, attempt: send.attempts }, 'took over a send whose earlier attempt has no recorded outcome');
      return null;
    }
    const { status, at, ...ids } = held;
    return { sendId: send.id, to: status, at: new Date(at), ...ids };
  }

  private async attemptUnderLease(send: ClaimedSend, configs: OpenChannel<MessagePlugin>[], config: OpenChannel<MessagePlugin> | undefined, signal: AbortSignal): Promise<Transition> {
    const lease = holdLease(this.claims, send, this.deps.settings.leaseMs, signal);
    try {
      return await this.attempt(send, config, lease.signal).catch((err: unknown) => this.onError(send, configs, config, err));
    } finally {
      lease.release();
    }
  }

  /**
   * Records the attempt's outcome. A provider's acceptance that cannot be written (the database
   * is away) is held in the journal for whoever takes the send over, and written as soon as the
   * database answers again; other outcomes are simply attempted again after the lease.
   */
  private async record(transition: Transition & { attempt: number }, signal: AbortSignal): Promise<Moved | null> {
    try {
      return await this.finishes.load(transition);
    } catch (err) {
      if (!transition.providerMessageId) throw err;
    }
    const { sendId, to, providerMessageId, provider, channelConfigId, at } = transition;
    this.deps.log.warn({ sendId, attempt: transition.attempt }, 'recording a provider acceptance failed; holding it and retrying');
    const outcome = { status: to as 'SENT' | 'DELIVERED', providerMessageId, provider: provider!, channelConfigId: channelConfigId!, at: (at ?? new Date()).toISOString() };
    await this.deps.journal.hold(sendId, outcome).catch(() => {});
    for (let delay = RECORD_RETRY_FIRST_MS; !signal.aborted; delay = Math.min(delay * 2, RECORD_RETRY_MAX_MS)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const moved = await this.finishes.load(transition);
        await this.deps.journal.take(sendId).catch(() => {});
        return moved;
      } catch {
        // Still away; the journal keeps the outcome for a takeover meanwhile.
      }
    }
    return null;
  }

  /** Runs the attempt and returns where the send goes next; throws to hand errors to onError. */
  private async attempt(send: ClaimedSend, config: OpenChannel<MessagePlugin> | undefined, signal: AbortSignal): Promise<Transition> {
    const fail = (reason: string): Transition => ({ sendId: send.id, to: 'FAILED', reason });
    const recipient = send.recipient;
    if (!recipient) return fail('The recipient was erased before the send went out');
    if (!config) return fail(`No enabled ${send.channel} channel is configured`);
    if (!recipient.legalBasis) return fail(`The purpose "${send.purposeKey}" no longer exists`);
    // Consent is checked again at dispatch: a withdrawal after creation (or before a scheduled time) wins.
    const decision = decide(contactFacts({ ...recipient, legalBasis: recipient.legalBasis }, send.purposeKey, send.channel));
    if (!decision.allowed) return { sendId: send.id, to: 'BLOCKED', reason: `${decision.code}: ${decision.reason}` };

    const keys = await this.deps.tenantKeys.get(send.tenantId);
    const person = decryptRecipient(keys, recipient);
    const to: RecipientData = { name: person.name, phone: person.phone, email: person.email, pushTokens: person.pushTokens, locale: recipient.locale };

    const gift = send.giftOfferId ? await issueGift(this.deps, send, keys, to, await this.deps.channels.couponChannels(send.tenantId), signal) : null;
    const message = send.messageEnc ? openMessage(keys, 'Send', send.id, send.messageEnc) : await this.campaignMessage(send.campaignId!, keys);
    const values = { name: person.name, gift };
    const result = await config.plugin.send(
      {
        sendId: send.id,
        idempotencyKey: send.id,
        to: pickRecipientFields(to, config.plugin.recipientFields),
        subject: message.subject == null ? null : render(message.subject, values),
        body: render(message.body, values),
      },
      { ...config.context, signal },
    );
    return { sendId: send.id, to: result.status, at: new Date(), provider: config.pluginId, providerMessageId: result.providerMessageId, channelConfigId: config.id };
  }

  /** Retry, fail over, or fail, as the policy says. Messages hold no personal data (plugins' errors are checked for that). */
  private onError(send: ClaimedSend, configs: OpenChannel<MessagePlugin>[], config: OpenChannel<MessagePlugin> | undefined, err: unknown): Transition {
    if (!(err instanceof ProviderError || err instanceof FinalFailure)) this.deps.log.error({ sendId: send.id, err: errorFields(err) }, 'dispatch attempt crashed');
    const failure = classify(err, config?.pluginId);
    const index = config ? configs.findIndex((c) => c.id === config.id) : -1;
    const next = index >= 0 ? configs[index + 1] : undefined;
    return afterFailure({ sendId: send.id, configAttempts: send.configAttempts, failure, next }, this.deps.settings, Date.now());
  }

  private campaignMessage(campaignId: string, keys: TenantKeys): Promise<Message> {
    let message = this.campaignCache.get(campaignId);
    if (!message) {
      message = this.deps.prisma.campaign
        .findUniqueOrThrow({ where: { id: campaignId }, select: { messageEnc: true } })
        .then((c) => openMessage(keys, 'Campaign', campaignId, c.messageEnc!));
      message.catch(() => this.campaignCache.delete(campaignId));
      if (this.campaignCache.size >= MAX_CACHED_CAMPAIGNS) this.campaignCache.delete(this.campaignCache.keys().next().value!);
      this.campaignCache.set(campaignId, message);
    }
    return message;
  }
}

function outcomeOf(t: Transition): AttemptOutcome {
  if (t.to === 'QUEUED') return t.resetConfigAttempts ? 'failover' : 'retry';
  return t.to === 'SENT' ? 'sent' : t.to === 'DELIVERED' ? 'delivered' : t.to === 'BLOCKED' ? 'blocked' : 'failed';
}
