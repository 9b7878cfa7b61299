// HTTP entry: health probes, provider webhooks and GraphQL (graphql-yoga) on one node:http server.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { App } from './app.ts';
import type { ErrorCode } from './errors.ts';
import { createApiRateLimiter } from './http/api-rate-limit.ts';
import { useCsrfPrevention, useGraphqlLimits } from './http/graphql-limits.ts';
import { readBodyBytes } from './http/read-body.ts';
import { readiness } from './http/readiness.ts';
import { useRequestLog, type RequestLogFields } from './http/request-log.ts';
import { handleExportDownload } from './http/export-route.ts';
import { useResponseCache } from './http/response-cache.ts';
import { useStreamErrorsAsResults } from './http/stream-errors.ts';
import { createWebSocketEndpoint } from './http/websocket.ts';
import { handleWebhook } from './http/webhook-route.ts';
import { errorFields } from './log.ts';
import { RequestReads } from './privacy/audit.ts';
import type { Context } from './schema/context.ts';
import { toContractError, useContractErrors } from './schema/errors.ts';
import { schema } from './schema/index.ts';
import { campaignStatsLoader } from './sends/campaign-stats.ts';

/** The graphql-sse protocol's own endpoint (both of its modes); /graphql answers SSE requests as well. */
export const GRAPHQL_SSE_PATH = '/graphql/stream';

interface ServerContext {
  requestId?: string;
  requestLog?: RequestLogFields;
  /** The Authorization value of a WebSocket connection (its connection_init payload); HTTP requests carry a header. */
  authorization?: string | null;
}

export function createYogaApp(app: App): YogaServerInstance<ServerContext, Context> {
  const limits = app.config.graphqlLimits;
  const rateLimiter = createApiRateLimiter({ redis: app.redis, redisPrefix: app.config.redisPrefix, perMinute: limits.ratePerMinute });
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // GraphiQL from the installed package, every asset inlined: it works without internet.
    // Loaded on first view: its inlined assets take about 30 MB of heap.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    graphiql: app.config.env !== 'production' && {
      title: 'Send platform GraphiQL',
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
      defaultQuery: [
        '# Send platform GraphQL API',
        '#',
        '# Put an API key in the Headers pane below, then',
        '# re-fetch the schema (button at the bottom left).',
        '#',
        '# Operator key (PLATFORM_ADMIN): printed at the',
        '# first `npm start`, kept in .data/admin-api-key.',
        '# Tenant keys: the createApiKey mutation, or',
        '# `npm run cli -- key:create --tenant <id> ...`',
        '',
        '{',
        '  viewer { id platformRole }',
        '}',
        '',
      ].join('\n'),
    },
    landingPage: false,
    // MAX_BODY_BYTES is enforced before yoga (createHttpHandler): by Content-Length, or while a
    // streamed body is read. Yoga's own check would pipe every body through a second stream.
    maxRequestBodySize: false,
    // Tokens travel in the Authorization header, never in cookies: no credentials mode, so no
    // origin can ride on a browser's session.
    cors: app.config.corsOrigins.length === 0 ? false : { origin: app.config.corsOrigins, credentials: false },
    logging: false,
    maskedErrors: { maskError: (error) => toContractError(error, app.log) },
    // Cross-site form and multipart posts need a header a browser form cannot set; JSON posts
    // (GraphiQL, every client) are preflighted by the browser and pass.
    plugins: [
      useCsrfPrevention(),
      ...useGraphqlLimits(limits),
      useContractErrors(app.log),
      useRequestLog(),
      useStreamErrorsAsResults(app.log),
      useGraphQLSSE({ endpoint: GRAPHQL_SSE_PATH }),
      // After the limits: a refused query is never looked up, and never stored.
      useResponseCache({ ...app.config.responseCache, bus: app.events }),
    ],
    context: async ({ request, requestId, authorization: socketAuthorization }) => {
      const id = requestId ?? randomUUID();
      const authorization = socketAuthorization !== undefined ? socketAuthorization : request.headers.get('authorization');
      const principal = await app.authenticator.authenticate(authorization);
      const decision = await rateLimiter.take(principal);
      if (!decision.allowed) {
        throw new GraphQLError(`Rate limit of ${limits.ratePerMinute} requests per minute for this API key reached; retry after ${decision.retryAfterSeconds} s (API_RATE_LIMIT_PER_MINUTE=${limits.ratePerMinute})`, {
          extensions: {
            code: 'RATE_LIMITED',
            limit: 'API_RATE_LIMIT_PER_MINUTE',
            max: limits.ratePerMinute,
            retryAfterSeconds: decision.retryAfterSeconds,
            http: { status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds) } },
          },
        });
      }
      return {
        app,
        principal,
        reauthenticate: () => app.authenticator.authenticate(authorization),
        requestId: id,
        personalViews: new Map(),
        reads: new RequestReads(app.auditReads),
        campaignStats: campaignStatsLoader(app.prisma),
      };
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const WEBHOOK_PATH = /^\/webhooks\/([^/]+)\/([^/]+)$/;
const EXPORT_PATH = /^\/exports\/([^/]+)$/;

/** Requests that are not GraphQL operations, by route (never by raw path: it holds webhook tokens). */
const routeOf = (path: string) => (path.startsWith('/webhooks/') ? 'webhook' : path.startsWith('/exports/') ? 'export' : path === '/graphql' ? 'graphql' : ['/healthz', '/readyz', '/metrics'].includes(path) ? path.slice(1) : 'other');

/** Prometheus text format; behind METRICS_TOKEN when it is set, off in production without one. */
async function serveMetrics(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { token, enabled } = app.config.metrics;
  if (!enabled) return sendJson(res, 404, { error: 'not found' });
  if (token) {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return sendJson(res, 401, { error: 'send "Authorization: Bearer <METRICS_TOKEN>"' });
  }
  res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
  res.end(await app.metrics.registry.metrics());
}

/** The path as logged: webhook tokens are credentials. */
const pathForLog = (path: string) => path.replace(/^(\/webhooks\/[^/]+\/)[^/]+$/, '$1[token]').replace(/^(\/exports\/)[^/]+$/, '$1[token]');

export function createHttpHandler(app: App, yoga: YogaServerInstance<ServerContext, Context>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // Only the path is logged: query strings may carry GraphQL variables.
    const path = (req.url ?? '/').split('?')[0]!;
    const requestLog: RequestLogFields = {};
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      app.metrics.request(requestLog.operation ?? routeOf(path), requestLog.outcome ?? (res.statusCode < 400 ? 'ok' : 'error'), ms / 1000);
      app.log.info({ requestId, method: req.method, path: pathForLog(path), status: res.statusCode, ms: Math.round(ms * 10) / 10, ...requestLog }, 'request');
    });
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/metrics') return await serveMetrics(app, req, res);
      if (path === '/readyz') {
        const ready = await readiness(app);
        return sendJson(res, ready.ok ? 200 : 503, { status: ready.ok ? 'ready' : 'not ready', checks: ready.checks });
      }
      const webhook = WEBHOOK_PATH.exec(path);
      if (webhook) return await handleWebhook(app, app.log.child({ requestId }), req, res, { pluginId: webhook[1]!, token: webhook[2]! });
      const exportLink = EXPORT_PATH.exec(path);
      if (exportLink) return await handleExportDownload(app, res, req.method, exportLink[1]!, new URL(req.url ?? '/', 'http://localhost').searchParams);
      const maxBodyBytes = app.config.graphqlLimits.maxBodyBytes;
      const tooLarge = () => {
        // The rest of an oversized body is not read: the connection closes after the answer.
        res.setHeader('connection', 'close');
        sendJson(res, 413, {
          errors: [{ message: `Request body larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES=${maxBodyBytes})`, extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_BODY_BYTES', max: maxBodyBytes } }],
        });
      };
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge();
      // A streamed body (no content-length) is read here up to the limit and handed to yoga whole.
      if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
        const body = await readBodyBytes(req, maxBodyBytes);
        if (!body) return tooLarge();
        Object.assign(req, { body });
      }
      await yoga(req, res, { requestId, requestLog });
    } catch (err) {
      app.log.error({ requestId, err: errorFields(err) }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies ErrorCode } }] });
      else res.end();
    }
  };
}

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Stops accepting connections and lets requests in flight finish for up to `graceMs` (default 0),
   * answering them with `connection: close`; then closes whatever connections remain.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

export async function startServer(app: App, port = app.config.port, host = app.config.host): Promise<RunningServer> {
  // One yoga for both transports: one rate limit per key, one response cache.
  const yoga = createYogaApp(app);
  const server = createServer(createHttpHandler(app, yoga));
  // graphql-ws subscriptions (and any operation) over WebSocket on the same port and path.
  const sockets = createWebSocketEndpoint(app, yoga);
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  // Responses under way, so that closing can tell their connections not to stay open after them.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    else res.once('finish', () => res.socket?.end());
  };
  // Before the handler, which may answer at once.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) return lastOnItsConnection(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    async close({ graceMs = 0 } = {}) {
      await sockets.close();
      draining = true;
      for (const res of inFlight) lastOnItsConnection(res);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}
