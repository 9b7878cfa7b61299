// Provider acceptances that could not be recorded yet. When the database is away just after a
// provider accepted a message, the dispatcher keeps retrying the write; meanwhile the claim's
// lease may run out and another worker take the send over. That worker asks this journal first
// and records the held outcome instead of sending the message a second time. In memory for the
// embedded default (one dispatching process); in Redis for scale-out, where the worker that
// takes over may be another process. Entries hold ids and a status, never personal data.
import type { Redis } from 'ioredis';
import type { SendResult } from '../../channels/contract.ts';

export interface HeldOutcome {
  status: SendResult['status'];
  providerMessageId: string;
  provider: string;
  channelConfigId: string;
  /** When the provider accepted it (ISO 8601). */
  at: string;
}

export interface OutcomeJournal {
  hold(sendId: string, outcome: HeldOutcome): Promise<void>;
  /** Removes and returns the held outcome, if any: only one taker gets it. */
  take(sendId: string): Promise<HeldOutcome | null>;
}

/** Long enough for any outage worth riding out; after it, a takeover sends again. */
const HOLD_MS = 24 * 60 * 60 * 1000;

export function createMemoryJournal(): OutcomeJournal {
  const held = new Map<string, { until: number; outcome: HeldOutcome }>();
  return {
    async hold(sendId, outcome) {
      const now = Date.now();
      for (const [id, entry] of held) if (entry.until < now) held.delete(id);
      held.set(sendId, { until: now + HOLD_MS, outcome });
    },
    async take(sendId) {
      const entry = held.get(sendId);
      held.delete(sendId);
      return entry && entry.until >= Date.now() ? entry.outcome : null;
    },
  };
}

export function createRedisJournal(redis: Redis, prefix: string): OutcomeJournal {
  const key = (sendId: string) => `${prefix}:outcome:${sendId}`;
  return {
    async hold(sendId, outcome) {
      await redis.set(key(sendId), JSON.stringify(outcome), 'PX', HOLD_MS);
    },
    async take(sendId) {
      const value = await redis.getdel(key(sendId));
      return value ? (JSON.parse(value) as HeldOutcome) : null;
    },
  };
}
