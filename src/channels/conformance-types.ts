// What a plugin's test hands the shared conformance suite (src/channels/conformance.ts).
import type { ChannelPlugin } from './contract.ts';

export type FakeFailure = 'rate_limit' | 'server_error' | 'hang' | 'malformed' | 'html';

/** A running local fake of a provider's HTTP API, listening on 127.0.0.1. */
export interface FakeProvider {
  /** e.g. http://127.0.0.1:43123, handed to the plugin as config.baseUrl. */
  baseUrl: string;
  /** Makes the next `count` (default 1) send/issue calls answer this way. */
  failNext(mode: FakeFailure, count?: number): void;
  /** Every send/issue request the fake accepted or refused, raw, for assertions. */
  readonly received: ReadonlyArray<{ method: string; path: string; headers: Record<string, string>; body: string }>;
  /**
   * Makes the fake call back as the real provider would (signed where the provider signs)
   * for a message or gift it issued: to the callback URL it was given with the send, or the
   * account-level one given at start.
   */
  emitCallback(providerId: string, outcome: 'delivered' | 'failed' | 'redeemed'): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceFixture<Config> {
  plugin: ChannelPlugin<Config>;
  /** Starts the fake; `callbackUrl` is where account-level callbacks go. */
  startFake(opts: { callbackUrl: string }): Promise<FakeProvider>;
  /** Valid credentials for the fake (with baseUrl; the suite shortens timeoutMs itself for the hung-provider case). */
  validConfig(fake: FakeProvider): Config;
  /** Credentials the fake refuses with the provider's auth error. */
  badAuthConfig(fake: FakeProvider): Config;
  /** True when the provider signs callbacks, so a tampered one must raise WebhookAuthError. */
  signsWebhooks: boolean;
}
