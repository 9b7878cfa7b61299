// When a failed delivery is tried again: the configured schedule with jitter, or the time the
// receiver asked for with Retry-After (429 and 503 only).

/** The schedule's delay before retry `retry` (0 = the first retry), ±20% jitter so that retries after an outage spread out; null when the schedule is exhausted. */
export function scheduledDelayMs(scheduleMs: readonly number[], retry: number, random: () => number = Math.random): number | null {
  const base = scheduleMs[retry];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Retry-After in milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** Receivers that ask to be called again later. */
export const HONOURS_RETRY_AFTER = new Set([429, 503]);
