// Webhook bodies that carry JSON events: one per call, or an array of them when the provider
// batches (Brevo's batched webhooks, SendGrid always).

/** The event objects of a JSON body; anything in it that is not an object is skipped. Throws when the body is not JSON. */
export function jsonEvents(rawBody: string): Array<Record<string, unknown>> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new Error('webhook body is not JSON');
  }
  const items: unknown[] = Array.isArray(payload) ? payload : [payload];
  return items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
}
