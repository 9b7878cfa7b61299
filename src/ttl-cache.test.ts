import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

describe('TtlCache', () => {
  afterEach(() => vi.useRealTimers());

  it('shares one load between asks within its lifetime and loads again after it', async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<string, number>(5_000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    vi.advanceTimersByTime(4_999);
    expect(await cache.get('k', load)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await cache.get('k', load)).toBe(2);
    expect(await cache.get('other', load)).toBe(3);
  });

  it('forgets a failed load and a value it is told not to keep', async () => {
    const cache = new TtlCache<string, string | null>(5_000, (value) => value !== null);
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => null)).toBeNull();
    expect(await cache.get('k', async () => 'found')).toBe('found');
    expect(await cache.get('k', async () => 'again')).toBe('found');
  });
});
