// A loopback HTTP server standing in for the platform's webhook endpoint: it keeps every
// callback a fake provider makes, as the webhook intake would see it.
import type { WebhookRequest } from '../../src/channels/contract.ts';
import { startFakeServer } from './fake-http.ts';

export interface Receiver {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  readonly captured: WebhookRequest[];
  /** Resolves with the next callback to arrive. */
  next(): Promise<WebhookRequest>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const captured: WebhookRequest[] = [];
  const waiting: Array<(request: WebhookRequest) => void> = [];
  let baseUrl = '';
  const server = await startFakeServer(({ method, path, headers, body }, res) => {
    const request = { method, url: `${baseUrl}${path}`, headers, rawBody: body };
    captured.push(request);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    waiting.shift()?.(request);
  });
  baseUrl = server.baseUrl;
  return { baseUrl, captured, next: () => new Promise((resolve) => waiting.push(resolve)), close: server.close };
}
