// The retry and failover policy, cell by cell: no database, no clock but the one passed in.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../channels/contract.ts';
import { AppError } from '../../errors.ts';
import { afterFailure, classify, FinalFailure, type FailedAttempt } from './retry-policy.ts';

const settings = { maxAttemptsPerConfig: 3, retryBaseMs: 1000, maxRetryDelayMs: 5000 };
const NOW = Date.UTC(2026, 0, 1);
const serverError = new ProviderError('provider server error (503)', { retryable: true, reason: 'server', status: 503 });
const authError = new ProviderError('provider refused the credentials (401)', { retryable: false, reason: 'auth', status: 401 });

const failed = (over: Partial<FailedAttempt> & Pick<FailedAttempt, 'failure'>): FailedAttempt => ({ sendId: 's1', configAttempts: 1, ...over });
const delayOf = (t: { nextAttemptAt?: Date | null }) => t.nextAttemptAt!.getTime() - NOW;

describe('classify', () => {
  it('names the plugin, the reason and the HTTP status, and keeps Retry-After', () => {
    const limited = new ProviderError('provider rate limit (429)', { retryable: true, reason: 'rate_limited', status: 429, retryAfterMs: 7000 });
    expect(classify(limited, 'sms-46elks')).toEqual({ final: false, retryable: true, what: 'sms-46elks: rate_limited (HTTP 429)', retryAfterMs: 7000 });
    expect(classify(authError, 'sms-46elks')).toMatchObject({ final: false, retryable: false, what: 'sms-46elks: auth (HTTP 401)' });
  });

  it('retries an unexpected error, not one of ours, and ends at once on a final failure', () => {
    expect(classify(new TypeError('boom'), 'dev-sms')).toEqual({ final: false, retryable: true, what: 'dev-sms: internal error' });
    expect(classify(new AppError('NO_CHANNEL_CONFIGURED', 'x'), 'dev-sms')).toMatchObject({ retryable: false });
    expect(classify(new FinalFailure('No enabled COUPON channel is configured'), 'dev-sms')).toEqual({ final: true, retryable: false, what: 'No enabled COUPON channel is configured' });
  });
});

describe('afterFailure', () => {
  it('retries a retryable failure on the same configuration with a delay that doubles, jittered, and is capped', () => {
    const failure = classify(serverError, 'p');
    const at = (configAttempts: number, random: number) => delayOf(afterFailure(failed({ configAttempts, failure }), settings, NOW, () => random));
    // Half fixed, half random: [ceiling/2, ceiling].
    expect([at(1, 0), at(1, 1)]).toEqual([500, 1000]);
    expect([at(2, 0), at(2, 1)]).toEqual([1000, 2000]);
    expect(at(2, 0.5)).toBe(1500);
    const capped = afterFailure(failed({ configAttempts: 2, failure }), { ...settings, maxRetryDelayMs: 1200 }, NOW, () => 1);
    expect(delayOf(capped)).toBe(1200);
    expect(afterFailure(failed({ configAttempts: 2, failure }), settings, NOW, () => 0)).toMatchObject({
      sendId: 's1',
      to: 'QUEUED',
      retry: true,
      reason: 'p: server (HTTP 503); retry 3 in 1000 ms',
    });
  });

  it("waits for the provider's Retry-After when it is longer than the backoff", () => {
    const failure = classify(new ProviderError('429', { retryable: true, reason: 'rate_limited', status: 429, retryAfterMs: 30_000 }), 'p');
    expect(delayOf(afterFailure(failed({ failure }), settings, NOW, () => 1))).toBe(30_000);
  });

  it('fails over to the next configuration once attempts are exhausted, with a fresh count', () => {
    const failure = classify(serverError, 'p');
    expect(afterFailure(failed({ configAttempts: 3, failure, next: { id: 'c2', pluginId: 'q' } }), settings, NOW)).toEqual({
      sendId: 's1',
      to: 'QUEUED',
      retry: true,
      reason: 'p: server (HTTP 503); failing over to q',
      channelConfigId: 'c2',
      resetConfigAttempts: true,
    });
  });

  it('fails over at once on a permanent failure', () => {
    const t = afterFailure(failed({ configAttempts: 1, failure: classify(authError, 'p'), next: { id: 'c2', pluginId: 'q' } }), settings, NOW);
    expect(t).toMatchObject({ to: 'QUEUED', channelConfigId: 'c2', resetConfigAttempts: true });
    expect(t.nextAttemptAt).toBeUndefined();
  });

  it('fails for good when no configuration is left, saying why', () => {
    expect(afterFailure(failed({ configAttempts: 3, failure: classify(serverError, 'p') }), settings, NOW)).toEqual({
      sendId: 's1',
      to: 'FAILED',
      reason: 'p: server (HTTP 503); gave up after 3 attempts',
    });
    expect(afterFailure(failed({ failure: classify(authError, 'p') }), settings, NOW)).toEqual({ sendId: 's1', to: 'FAILED', reason: 'p: auth (HTTP 401)' });
  });

  it('ends a final failure without retry or failover', () => {
    const t = afterFailure(failed({ failure: classify(new FinalFailure('The gift could not be issued by coupon-clearon: rejected'), 'p'), next: { id: 'c2', pluginId: 'q' } }), settings, NOW);
    expect(t).toEqual({ sendId: 's1', to: 'FAILED', reason: 'The gift could not be issued by coupon-clearon: rejected' });
  });
});
