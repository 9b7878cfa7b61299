// One place where plugins call providers: the outbound policy, timeouts, and the
// retryable/permanent split every plugin shares (network, timeout, 429 and 5xx retry; other
// answers do not).
import { fetch } from 'undici';
import { ProviderError, type PluginContext } from '../contract.ts';
import { BlockedAddressError } from './outbound.ts';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

export interface ProviderResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface ProviderRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What a provider call needs of the plugin context: the outbound policy, the timeout and the caller's signal. */
export type CallContext = Pick<PluginContext<{ timeoutMs?: number }>, 'config' | 'outbound' | 'signal'>;

/**
 * Sends one request through the outbound policy; throws ProviderError for a refused address,
 * transport failures, 429 and 5xx, returns every other answer.
 */
export async function providerRequest(ctx: CallContext, url: string, req: ProviderRequest = {}): Promise<ProviderResponse> {
  if (!isHttpUrl(url)) throw new ProviderError('provider URL is not an http or https URL', { retryable: false, reason: 'blocked_address' });
  const timeout = AbortSignal.timeout(ctx.config.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  let res: Awaited<ReturnType<typeof fetch>>;
  let text: string;
  try {
    res = await fetch(url, { method: req.method ?? 'POST', headers: req.headers, body: req.body, signal, redirect: 'manual', dispatcher: ctx.outbound.dispatcher });
    text = await res.text();
  } catch (err) {
    const blocked = blockedCause(err);
    if (blocked) throw new ProviderError(`outbound policy refused the provider address: ${blocked.message}`, { retryable: false, reason: 'blocked_address' });
    if (timeout.aborted) throw new ProviderError('provider did not answer in time', { retryable: true, reason: 'timeout' });
    if (ctx.signal?.aborted) throw new ProviderError('provider call aborted', { retryable: true, reason: 'aborted' });
    const cause = (err as Error).cause as Error | undefined;
    throw new ProviderError(`provider unreachable: ${cause ? String(cause.message ?? '') : (err as Error).message}`, { retryable: true, reason: 'network' });
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

function isHttpUrl(url: string): boolean {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  return protocol === 'http:' || protocol === 'https:';
}

function blockedCause(err: unknown): BlockedAddressError | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof BlockedAddressError) return e;
  return undefined;
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
    throw malformed(`provider answered ${res.status} with a body that is not JSON`, res.status);
  }
}

export function malformed(message: string, status?: number): ProviderError {
  return new ProviderError(message, { retryable: false, reason: 'malformed', status });
}

/** A request with a form body, or none, answered in JSON. */
export function formRequest(method: string, headers: Record<string, string>, form?: URLSearchParams): ProviderRequest {
  const type: Record<string, string> = form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  return { method, headers: { accept: 'application/json', ...type, ...headers }, body: form?.toString() };
}

/** A request with a JSON body, or none, answered in JSON. */
export function jsonRequest(method: string, headers: Record<string, string>, payload?: unknown): ProviderRequest {
  const type: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
  return { method, headers: { accept: 'application/json', ...type, ...headers }, body: payload === undefined ? undefined : JSON.stringify(payload) };
}

/** `base` (a configured host, with or without a trailing slash) followed by `path`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function bearerAuth(token: string): string {
  return `Bearer ${token}`;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
