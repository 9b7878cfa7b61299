import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createMemoryRateLimiter, createRedisRateLimiter, redisLimitParams } from './rate-limiter.ts';

/** The most timestamps inside any span of `spanMs` (sorted input). */
function busiestSpan(times: number[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= spanMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('memory rate limiter', () => {
  it('lets at most max calls through per window', async () => {
    const limiter = createMemoryRateLimiter();
    const limit = { max: 5, perMs: 200 };
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, () => limiter.acquire('channel:a', limit).then(() => times.push(Date.now()))),
    );
    times.sort((a, b) => a - b);
    expect(times).toHaveLength(15);
    // Three windows: the last one opens two windows after the first (less timer slack).
    expect(times[14] - times[0]).toBeGreaterThanOrEqual(380);
    // Windows are fixed and open at their first call; waiters wake within a few ms of
    // each other, so a span somewhat shorter than the window never holds more than max.
    expect(busiestSpan(times, 150)).toBe(5);
  });

  it('counts keys and limits separately', async () => {
    const limiter = createMemoryRateLimiter();
    const began = Date.now();
    for (let i = 0; i < 3; i++) await limiter.acquire('channel:a', { max: 3, perMs: 10_000 });
    for (let i = 0; i < 3; i++) await limiter.acquire('channel:b', { max: 3, perMs: 10_000 });
    for (let i = 0; i < 3; i++) await limiter.acquire('channel:a', { max: 4, perMs: 10_000 });
    expect(Date.now() - began).toBeLessThan(1000);
  });

  it('rejects with the signal reason when aborted while waiting', async () => {
    const limiter = createMemoryRateLimiter();
    const limit = { max: 1, perMs: 60_000 };
    await limiter.acquire('k', limit);
    const controller = new AbortController();
    const waiting = limiter.acquire('k', limit, controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    const began = Date.now();
    await expect(waiting).rejects.toThrow('shutting down');
    expect(Date.now() - began).toBeLessThan(1000);
    // An already aborted signal rejects at once.
    await expect(limiter.acquire('other', limit, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });

  it('rejects invalid limits', async () => {
    const limiter = createMemoryRateLimiter();
    await expect(limiter.acquire('k', { max: 0, perMs: 1000 })).rejects.toThrow('max');
    await expect(limiter.acquire('k', { max: 1, perMs: 0 })).rejects.toThrow('perMs');
  });
});

describe('redis rate limiter', () => {
  it('passes a store failure on as an Error, without waiting', async () => {
    // Stands in for an ioredis client whose server is away.
    const down = {
      defineCommand() {},
      rlflxIncr: async () => {
        throw new Error('Connection is closed.');
      },
    } as unknown as Redis;
    const limiter = createRedisRateLimiter(down);
    await expect(limiter.acquire('k', { max: 1, perMs: 1000 })).rejects.toThrow('Connection is closed.');
  });

  it('keeps whole-second windows and scales sub-second ones up to a second', () => {
    expect(redisLimitParams({ max: 10, perMs: 1000 })).toEqual({ points: 10, duration: 1 });
    expect(redisLimitParams({ max: 30, perMs: 60_000 })).toEqual({ points: 30, duration: 60 });
    expect(redisLimitParams({ max: 5, perMs: 500 })).toEqual({ points: 10, duration: 1 });
    // Rounded down so the average never exceeds the limit.
    expect(redisLimitParams({ max: 2, perMs: 1500 })).toEqual({ points: 2, duration: 2 });
    expect(redisLimitParams({ max: 1, perMs: 1500 })).toEqual({ points: 1, duration: 2 });
  });
});
