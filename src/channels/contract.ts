// The channel plugin contract: what every provider plugin in plugins/ implements.
// Plugins are plain objects; they know nothing of GraphQL, Prisma or the queue.
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { Channel } from '../db/generated/enums.ts';

/** The channels that carry a message to a recipient; COUPON plugins issue gifts instead. */
export type MessageChannelKind = Exclude<Channel, 'COUPON'>;

/** What the subprocessor register (GDPR Art. 28) shows for a plugin. */
export interface SubprocessorInfo {
  name: string;
  legalEntity: string;
  purpose: string;
  /** Where the data is processed, e.g. 'Sweden', 'EU', 'EU/US'. */
  location: string;
  /** How a transfer outside the EU/EEA is safeguarded; null when none is needed. */
  transferMechanism: string | null;
  dataCategories: string[];
}

/** Recipient fields a plugin may ask for; it receives only those it declares. */
export type RecipientField = 'name' | 'phone' | 'email' | 'locale' | 'pushTokens';

export interface RecipientData {
  name?: string | null;
  /** E.164, e.g. +46701234567. */
  phone?: string | null;
  email?: string | null;
  locale?: string | null;
  pushTokens?: string[] | null;
}

export interface OutboundMessage {
  /** Our send id; plugins use it as the provider-side reference where the API has one. */
  sendId: string;
  /** Stable per send: repeated attempts of one send carry the same key. */
  idempotencyKey: string;
  to: RecipientData;
  /** E-mail subject or push title. */
  subject?: string | null;
  body: string;
}

export interface GiftRequest {
  sendId: string;
  idempotencyKey: string;
  offerId: string;
  expiresAt?: Date | null;
  to: RecipientData;
}

export interface SendResult {
  providerMessageId: string;
  /** SENT when the provider accepted it; DELIVERED when acceptance is final (no receipts). */
  status: 'SENT' | 'DELIVERED';
}

export interface GiftResult {
  providerGiftId: string;
  code?: string | null;
  url?: string | null;
  expiresAt?: Date | null;
}

/**
 * Where provider calls may connect, built once by the service from its configuration.
 * `providerRequest` sends every call through it; plugins only pass their context on.
 */
export interface OutboundPolicy {
  /** Connects only to addresses the policy allows, checked on the resolved address. */
  readonly dispatcher: Dispatcher;
  /** Drops its connections (shutdown). */
  close(): Promise<void>;
}

export interface PluginContext<Config> {
  /** The tenant's validated configuration (credentials included). */
  config: Config;
  /** Where the provider should post callbacks for this tenant channel (unguessable token inside). */
  callbackUrl: string;
  outbound: OutboundPolicy;
  /** Cancels the provider call (shutdown, job timeout). */
  signal?: AbortSignal;
}

/** A provider callback as received on POST /webhooks/:pluginId/:token. */
export interface WebhookRequest {
  method: string;
  /** The full public URL the provider called (signatures such as Twilio's cover it). */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body, byte for byte as received. */
  rawBody: string;
}

export type StatusEvent =
  | {
      kind: 'message';
      providerMessageId: string;
      status: 'SENT' | 'DELIVERED' | 'FAILED';
      at: Date;
      /** Provider wording, free of personal data. */
      detail?: string;
    }
  | {
      kind: 'gift';
      providerGiftId: string;
      status: 'REDEEMED' | 'EXPIRED' | 'CANCELED';
      at: Date;
      detail?: string;
    };

/** What the platform knows of a data subject at a provider, for erasure requests. */
export interface EraseSubject {
  providerMessageIds: string[];
  providerGiftIds: string[];
  to: RecipientData;
}

export interface RateLimit {
  max: number;
  perMs: number;
}

/** What every plugin has, whatever its channel. */
interface PluginBase<Config> {
  /** e.g. 'sms-46elks'; also the webhook path segment. */
  id: string;
  displayName: string;
  subprocessor: SubprocessorInfo;
  /** The only recipient fields handed to send/issue/erase. */
  recipientFields: RecipientField[];
  /** Tenant credentials and options. Secret fields carry `.meta({ writeOnly: true })`. */
  configSchema: z.ZodType<Config>;
  /** Provider's documented or sensible throughput per tenant channel, across all workers. */
  rateLimit?: RateLimit;
  /** Throws WebhookAuthError when the callback is not authentic; returns [] for events it ignores. */
  parseWebhook?(request: WebhookRequest, ctx: PluginContext<Config>): Promise<StatusEvent[]>;
  /** Asks the provider to delete what it holds about the subject, where its API allows. */
  erase?(subject: EraseSubject, ctx: PluginContext<Config>): Promise<{ erased: boolean; detail: string }>;
}

/** A plugin that delivers messages (SMS, e-mail, push). */
export interface MessagePlugin<Config = Record<string, unknown>> extends PluginBase<Config> {
  channel: MessageChannelKind;
  send(message: OutboundMessage, ctx: PluginContext<Config>): Promise<SendResult>;
  /** How long after acceptance a delivery report normally arrives; a SENT send older than this is looked into. Default one hour. */
  reportWindowMs?: number;
  /** Asks the provider's status API about a message whose report is overdue: its final status, or null while it has none. */
  status?(providerMessageId: string, ctx: PluginContext<Config>): Promise<Extract<StatusEvent, { kind: 'message' }> | null>;
}

/** A plugin that issues gifts (coupons) that travel with a message. */
export interface CouponPlugin<Config = Record<string, unknown>> extends PluginBase<Config> {
  channel: 'COUPON';
  issue(gift: GiftRequest, ctx: PluginContext<Config>): Promise<GiftResult>;
}

/** Told apart by `channel`: a COUPON plugin issues, every other one sends. */
export type ChannelPlugin<Config = Record<string, unknown>> = MessagePlugin<Config> | CouponPlugin<Config>;

/** What a plugin id looks like: lower-case letters, digits and dashes, e.g. 'sms-46elks'; also its folder in plugins/. */
export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** A fake provider while it runs: where it listens, and how to stop it. */
export interface RunningFake {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A plugin's fake provider as `npm run plugin:fake` runs it beside the service: exported as
 * `localFake` from the plugin's fake-server.ts.
 */
export interface LocalFake<Config, Fake extends RunningFake = RunningFake> {
  /** Starts the fake on 127.0.0.1; `onRequest` is told of each request it answers. */
  start(opts: { onRequest: (line: string) => void }): Promise<Fake>;
  /** The configureChannel config that points the plugin at the running fake. */
  config(fake: Fake): Config;
}

/** Identity helper that keeps a message plugin's config type attached to its object. */
export function defineMessagePlugin<Config>(plugin: MessagePlugin<Config>): MessagePlugin<Config> {
  return plugin;
}

/** Identity helper that keeps a coupon plugin's config type attached to its object. */
export function defineCouponPlugin<Config>(plugin: CouponPlugin<Config>): CouponPlugin<Config> {
  return plugin;
}

/** Why a provider call failed, in one word the retry policy and the send's history show. */
export type ProviderErrorReason =
  | 'auth'
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'malformed'
  | 'rejected'
  | 'invalid_recipient'
  /** The provider already processed this request and cannot say its result yet. */
  | 'duplicate'
  /** The outbound policy refused the provider's address (not http(s), or not public). */
  | 'blocked_address';

/** A provider call that failed; `retryable` decides between retry and failover. */
export class ProviderError extends Error {
  readonly retryable: boolean;
  readonly reason: ProviderErrorReason;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, opts: { retryable: boolean; reason: ProviderErrorReason; status?: number; retryAfterMs?: number }) {
    super(message);
    this.name = 'ProviderError';
    this.retryable = opts.retryable;
    this.reason = opts.reason;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** A webhook whose authenticity could not be established: answered 401, changes nothing. */
export class WebhookAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAuthError';
  }
}

/** A URL a provider call may go to: http or https, nothing else. */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

/** Options every HTTP-calling plugin accepts besides its credentials. */
export const httpOptionsShape = {
  /** Regional host, sandbox or test double instead of the provider's default. */
  baseUrl: httpUrl().optional(),
  /** Per-request timeout; a hung provider becomes a retryable error after it. */
  timeoutMs: z.number().int().min(50).max(120_000).optional(),
  /** The account's own limit when it differs from the plugin's documented default (e.g. a raised SMS quota). */
  maxPerSecond: z.number().int().min(1).max(100_000).optional(),
};
