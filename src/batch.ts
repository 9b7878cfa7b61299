// Loads that arrive within a couple of milliseconds of each other share one statement: the
// dispatcher's and the webhook intake's hot paths would otherwise make one round trip each.
import DataLoader from 'dataloader';

const BATCH_WINDOW_MS = 2;
export const MAX_BATCH = 500;

/** Without a cache, every load is its own key in the batch, duplicates included. */
export const batched = <K, V>(fn: (keys: readonly K[]) => Promise<Array<V | Error>>) =>
  new DataLoader<K, V>(fn, { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS) });
