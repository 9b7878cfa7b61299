// POST (or GET) /webhooks/:pluginId/:token: a provider's callback, size-checked here, checked
// for authenticity and stored by the webhook intake (src/channels/webhooks.ts), then applied.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_WEBHOOK_BODY_BYTES, type WebhookIntake } from '../channels/webhooks.ts';
import { errorFields, type Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { InboxApplier } from '../sends/provider-events.ts';
import { readBody } from './read-body.ts';

/** What a provider is asked to wait before delivering a report again. */
const RETRY_AFTER_S = 30;

export interface WebhookRouteDeps {
  config: { publicUrl: string };
  metrics: Pick<Metrics, 'webhook'>;
  webhooks: Pick<WebhookIntake, 'receive'>;
  inbox: Pick<InboxApplier, 'apply'>;
}

/** /webhooks/:pluginId/:token, checked and stored by src/channels/webhooks.ts. Most providers POST; Lekab's reports are GETs. */
export async function handleWebhook(deps: WebhookRouteDeps, log: Logger, req: IncomingMessage, res: ServerResponse, { pluginId, token }: { pluginId: string; token: string }): Promise<void> {
  const reply = (status: number, text = '') => {
    // A path segment is whatever a caller sends: only an installed plugin's id (the answers given after its lookup) becomes a label.
    deps.metrics.webhook([200, 400, 401, 503].includes(status) ? pluginId : 'unknown', status);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (req.method !== 'POST' && req.method !== 'GET') {
    res.setHeader('allow', 'GET, POST');
    return reply(405, 'Method not allowed');
  }
  const tooLarge = () => {
    // The unread rest of the body is not worth reading: answer, then drop the connection.
    res.setHeader('connection', 'close');
    res.once('finish', () => req.destroy());
    reply(413, `Body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_WEBHOOK_BODY_BYTES) return tooLarge();
  const rawBody = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
  if (rawBody === null) return tooLarge();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  // Providers sign the URL they called (Twilio): the public one, not the one behind a proxy.
  const url = `${deps.config.publicUrl}${req.url ?? ''}`;
  let outcome;
  try {
    outcome = await deps.webhooks.receive(pluginId, token, { method: req.method, url, headers, rawBody }, log);
  } catch (err) {
    // The database is away: 503 tells the provider to deliver the report again later, where a 500 may make it give up.
    log.error({ pluginId, err: errorFields(err) }, 'webhook not stored; asking the provider to retry');
    res.setHeader('retry-after', String(RETRY_AFTER_S));
    return reply(503, 'Temporarily unavailable; retry later');
  }
  // Stored is enough to answer the provider; applying now just keeps statuses current.
  if (outcome.stored.length) await deps.inbox.apply(outcome.stored).catch((err: unknown) => log.error({ err: errorFields(err) }, 'applying provider reports failed'));
  reply(outcome.status);
}
