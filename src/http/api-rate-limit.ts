// Requests per minute for one API key (or one JWT user), counted in Redis across every API
// process when REDIS_URL is set, in memory otherwise. The operator's own key is not limited.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.ts';

export interface ApiRateLimitDeps {
  redis?: Redis;
  redisPrefix: string;
  perMinute: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface ApiRateLimiter {
  /** Counts one request of the principal; refused once it made `perMinute` in the current minute. */
  take(principal: Principal | null): Promise<RateDecision>;
}

export function createApiRateLimiter(deps: ApiRateLimitDeps): ApiRateLimiter {
  if (deps.perMinute === 0) return { take: async () => ({ allowed: true }) };
  const options = { points: deps.perMinute, duration: 60 };
  const limiter: RateLimiterAbstract = deps.redis
    ? new RateLimiterRedis({ ...options, storeClient: deps.redis, keyPrefix: `${deps.redisPrefix}:api-rate` })
    : new RateLimiterMemory(options);
  return {
    async take(principal) {
      // Anonymous requests are refused by every field's rule; the operator is the installation's own.
      if (!principal || principal.kind === 'operator') return { allowed: true };
      try {
        // Hashed: a user's subject may be an e-mail address, and Redis keys are no place for it.
        await limiter.consume(createHash('sha256').update(principal.actor).digest('base64url'));
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        throw rejection;
      }
    },
  };
}
