// Per-provider rate limits shared by every worker. Backed by rate-limiter-flexible: fixed
// windows that open at a key's first call and last `perMs`, counted in memory (one
// process) or in Redis (all processes). Note the fixed-window nature: calls late in one
// window and early in the next can put up to 2 x max into one perMs span; providers
// publish per-second quotas they count much the same way.
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface RateLimit {
  max: number;
  perMs: number;
}

export interface RateLimiter {
  /** Resolves when one more call under `key` fits within `limit`, counted across every process sharing the store; rejects with the signal's reason when aborted while waiting. */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
}

// Spreads retries of callers rejected in the same window, so they do not all hit the
// store at the same millisecond.
const JITTER_MS = 5;

function validate(limit: RateLimit): void {
  if (!Number.isInteger(limit.max) || limit.max < 1) throw new Error('rate limit max must be a positive integer');
  if (!Number.isFinite(limit.perMs) || limit.perMs <= 0) throw new Error('rate limit perMs must be positive');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function createLimiter(make: (limit: RateLimit) => RateLimiterAbstract): RateLimiter {
  // One library limiter per distinct (max, perMs); the key space is shared within each.
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterFor = (limit: RateLimit) => {
    const id = `${limit.max}/${limit.perMs}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      validate(limit);
      limiter = make(limit);
      limiters.set(id, limiter);
    }
    return limiter;
  };

  return {
    async acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
      const limiter = limiterFor(limit);
      for (;;) {
        signal?.throwIfAborted();
        try {
          await limiter.consume(key);
          return;
        } catch (rejection) {
          // The library rejects with a RateLimiterRes when the window is full, and with
          // the store's error otherwise (which must reach the caller).
          if (!(rejection instanceof RateLimiterRes)) {
            throw rejection instanceof Error ? rejection : new Error(`rate limiter store failed: ${String(rejection)}`);
          }
          // msBeforeNext is -1 for a key without expiry, which the limits here never create.
          const wait = Math.max(rejection.msBeforeNext, 1) + Math.floor(Math.random() * JITTER_MS);
          await sleep(wait, signal);
        }
      }
    },
  };
}

/** Counts in this process only (the embedded mode). Sub-second windows are exact here. */
export function createMemoryRateLimiter(): RateLimiter {
  return createLimiter((limit) => new RateLimiterMemory({ points: limit.max, duration: limit.perMs / 1000 }));
}

/**
 * RateLimiterRedis floors the window to whole seconds, and a window under one second
 * becomes a key that never expires (a permanent block). So the window is rounded up to
 * whole seconds and `max` scaled down to match: {max: 5, perMs: 500} counts as 10 per
 * second. The average rate never exceeds the limit, but a burst of up to the scaled
 * count can land inside the original shorter window. Per-second limits are exact.
 */
export function redisLimitParams(limit: RateLimit): { points: number; duration: number } {
  const duration = Math.max(1, Math.ceil(limit.perMs / 1000));
  const points = Math.max(1, Math.floor((limit.max * duration * 1000) / limit.perMs));
  return { points, duration };
}

/** Counts in Redis, shared by every process using the same server and prefix. */
export function createRedisRateLimiter(redis: Redis, prefix = 'rl'): RateLimiter {
  return createLimiter((limit) => {
    const { points, duration } = redisLimitParams(limit);
    return new RateLimiterRedis({
      // An ioredis client is detected as such (useRedisPackage stays false).
      storeClient: redis,
      points,
      duration,
      keyPrefix: `${prefix}:${limit.max}/${limit.perMs}`,
    });
  });
}
