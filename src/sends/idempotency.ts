// Idempotency keys of createSend and createCampaign. A key holds for 24 hours: the same key and
// input return the first result, the same key with other input is IDEMPOTENCY_CONFLICT, and a
// key older than the window is released so it can be used again.
import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What is kept of the first request under a key. */
export interface PreviousRequest {
  id: string;
  requestHash: string | null;
  createdAt: Date;
}

/** Where requests under one key are found, and how an expired key is released. */
export interface IdempotencyStore {
  find(): Promise<PreviousRequest | null>;
  release(id: string): Promise<unknown>;
}

/** Fingerprint of a request without its idempotency key, to tell a retry from a conflict. */
export function requestHash(input: Record<string, unknown>): string {
  const canonical = JSON.stringify(input, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x != null).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002';

async function replay(store: IdempotencyStore, hash: string, now: number): Promise<{ id: string } | null> {
  const previous = await store.find();
  if (!previous) return null;
  if (now - previous.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) {
    await store.release(previous.id);
    return null;
  }
  if (previous.requestHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', 'This idempotencyKey was used within the last 24 hours with different input');
  return { id: previous.id };
}

/**
 * Runs `create` once per key: a request under a live key answers with the first result, and a
 * concurrent request that loses the insert race (unique violation) answers as its retry would.
 * Without a key, `create` simply runs.
 */
export async function oncePerKey(
  key: string | null | undefined,
  hash: string,
  store: IdempotencyStore,
  create: () => Promise<{ id: string }>,
  now = Date.now(),
): Promise<{ id: string }> {
  if (!key) return create();
  const previous = await replay(store, hash, now);
  if (previous) return previous;
  try {
    return await create();
  } catch (err) {
    if (isUniqueViolation(err)) {
      const winner = await replay(store, hash, now);
      if (winner) return winner;
    }
    throw err;
  }
}
