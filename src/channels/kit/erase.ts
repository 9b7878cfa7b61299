// Erasure at providers whose API deletes one item per request.
import { throwForClientError, type ProviderResponse } from './http.ts';

/**
 * Deletes each item with `remove` (one request each). A 404 means the provider holds it no
 * longer; any other refusal stops with the usual permanent error.
 */
export async function deleteEach(
  items: readonly string[],
  remove: (item: string) => Promise<ProviderResponse>,
  describe?: (res: ProviderResponse) => string,
): Promise<{ deleted: number; missing: number }> {
  let deleted = 0;
  let missing = 0;
  for (const item of items) {
    const res = await remove(item);
    if (res.status === 404) {
      missing++;
      continue;
    }
    throwForClientError(res, describe);
    deleted++;
  }
  return { deleted, missing };
}
