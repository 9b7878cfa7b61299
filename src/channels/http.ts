// One place where plugins call providers: timeouts, and the retryable/permanent split
// every plugin shares (network, timeout, 429 and 5xx retry; other answers do not).
import { ProviderError } from './contract.ts';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ProviderRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends one request; throws ProviderError for transport failures, 429 and 5xx, returns every other answer. */
export async function providerRequest(url: string, req: ProviderRequest = {}): Promise<ProviderResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: req.method ?? 'POST', headers: req.headers, body: req.body, signal, redirect: 'manual' });
    text = await res.text();
  } catch (err) {
    if (timeout.aborted) throw new ProviderError('provider did not answer in time', { retryable: true, reason: 'timeout' });
    if (req.signal?.aborted) throw new ProviderError('provider call aborted', { retryable: true, reason: 'aborted' });
    throw new ProviderError(`provider unreachable: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? '') : (err as Error).message}`, {
      retryable: true,
      reason: 'network',
    });
  }
  if (res.status === 429) {
    throw new ProviderError('provider rate limit (429)', {
      retryable: true,
      reason: 'rate_limited',
      status: 429,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
    });
  }
  if (res.status >= 500) {
    throw new ProviderError(`provider server error (${res.status})`, { retryable: true, reason: 'server', status: res.status });
  }
  return { status: res.status, headers: res.headers, text };
}

/** Throws the permanent error for 401/403 and other 4xx answers; `describe` turns the body into words without personal data. */
export function throwForClientError(res: ProviderResponse, describe: (res: ProviderResponse) => string = () => ''): void {
  if (res.status < 400) return;
  const detail = describe(res);
  const suffix = detail ? `: ${detail}` : '';
  if (res.status === 401 || res.status === 403) {
    throw new ProviderError(`provider refused the credentials (${res.status})${suffix}`, { retryable: false, reason: 'auth', status: res.status });
  }
  throw new ProviderError(`provider rejected the request (${res.status})${suffix}`, { retryable: false, reason: 'rejected', status: res.status });
}

/** Parses a JSON answer; an HTML page or garbage is a permanent 'malformed' error, never a crash. */
export function parseJsonBody<T = unknown>(res: ProviderResponse): T {
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new ProviderError(`provider answered ${res.status} with a body that is not JSON`, { retryable: false, reason: 'malformed', status: res.status });
  }
}

export function malformed(message: string, status?: number): ProviderError {
  return new ProviderError(message, { retryable: false, reason: 'malformed', status });
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
