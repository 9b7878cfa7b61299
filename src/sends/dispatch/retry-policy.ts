// What happens to a send after a failed attempt: retry on the same channel configuration with
// exponential backoff, fail over to the next configuration by priority, or fail for good.
// Pure: the error, the attempt counts and the clock in, the send's next transition out.
import type { DispatchSettings } from '../../config.ts';
import { ProviderError } from '../../channels/contract.ts';
import { AppError } from '../../errors.ts';
import { clip, type Transition } from '../status.ts';

export type RetrySettings = Pick<DispatchSettings, 'maxAttemptsPerConfig' | 'retryBaseMs' | 'maxRetryDelayMs'>;

/** A failure that ends the send at once, without retry or failover (e.g. a gift that cannot be issued). */
export class FinalFailure extends Error {}

export interface Failure {
  /** Where the send goes: FAILED at once, or retried / failed over. */
  final: boolean;
  retryable: boolean;
  /** In words, free of personal data: '<plugin>: <reason> (HTTP <status>)'. */
  what: string;
  /** The provider's Retry-After, when it gave one. */
  retryAfterMs?: number;
}

/** An attempt's error in the policy's terms. Errors that are neither the provider's nor ours are retried. */
export function classify(err: unknown, pluginId: string | undefined): Failure {
  if (err instanceof FinalFailure) return { final: true, retryable: false, what: err.message };
  if (err instanceof ProviderError) {
    const status = err.status ? ` (HTTP ${err.status})` : '';
    return { final: false, retryable: err.retryable, what: `${pluginId}: ${err.reason}${status}`, retryAfterMs: err.retryAfterMs };
  }
  return { final: false, retryable: !(err instanceof AppError), what: `${pluginId}: internal error` };
}

/** The exponential backoff with "equal jitter": half fixed, half random, never zero. */
function retryDelay(settings: RetrySettings, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxRetryDelayMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface FailedAttempt {
  sendId: string;
  /** Attempts on the current configuration, the failed one included. */
  configAttempts: number;
  failure: Failure;
  /** The next enabled configuration of the channel by priority, if any. */
  next?: { id: string; pluginId: string };
}

export function afterFailure(attempt: FailedAttempt, settings: RetrySettings, now: number, random: () => number = Math.random): Transition {
  const { sendId, configAttempts, failure, next } = attempt;
  if (failure.final) return { sendId, to: 'FAILED', reason: failure.what };
  if (failure.retryable && configAttempts < settings.maxAttemptsPerConfig) {
    const delay = Math.max(failure.retryAfterMs ?? 0, retryDelay(settings, configAttempts, random));
    return { sendId, to: 'QUEUED', retry: true, reason: clip(`${failure.what}; retry ${configAttempts + 1} in ${delay} ms`), nextAttemptAt: new Date(now + delay) };
  }
  if (next) {
    return { sendId, to: 'QUEUED', retry: true, reason: clip(`${failure.what}; failing over to ${next.pluginId}`), channelConfigId: next.id, resetConfigAttempts: true };
  }
  const exhausted = failure.retryable ? `; gave up after ${configAttempts} attempts` : '';
  return { sendId, to: 'FAILED', reason: clip(`${failure.what}${exhausted}`) };
}
