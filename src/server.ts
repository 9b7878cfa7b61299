// HTTP entry: health probes, provider webhooks and GraphQL (graphql-yoga) on one node:http server.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyMiddleware } from 'graphql-middleware';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { App } from './app.ts';
import { permissions } from './auth/permissions.ts';
import { readiness } from './http/readiness.ts';
import { useRequestLog, type RequestLogFields } from './http/request-log.ts';
import { handleWebhook } from './http/webhook-route.ts';
import { errorFields } from './log.ts';
import type { Context } from './schema/builder.ts';
import { toContractError, useContractErrors } from './schema/errors.ts';
import { schema } from './schema/index.ts';
import { campaignStatsLoader } from './sends/campaign-stats.ts';

/** Larger request bodies are refused before parsing (a 10,000-recipient import fits). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export const guardedSchema = applyMiddleware(schema, permissions(schema));

interface ServerContext {
  requestId?: string;
  requestLog?: RequestLogFields;
}

export function createYogaApp(app: App): YogaServerInstance<ServerContext, Context> {
  return createYoga<ServerContext, Context>({
    schema: guardedSchema,
    graphqlEndpoint: '/graphql',
    graphiql: app.config.env !== 'production',
    landingPage: false,
    // Tokens travel in the Authorization header, never in cookies: no credentials mode, so no
    // origin can ride on a browser's session.
    cors: app.config.corsOrigins.length === 0 ? false : { origin: app.config.corsOrigins, credentials: false },
    logging: false,
    maskedErrors: { maskError: (error) => toContractError(error, app.log) },
    plugins: [useContractErrors(app.log), useRequestLog()],
    context: async ({ request, requestId }) => {
      const id = requestId ?? randomUUID();
      return {
        app,
        principal: await app.authenticator.authenticate(request.headers.get('authorization')),
        requestId: id,
        log: app.log.child({ requestId: id }),
        personalViews: new Map(),
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

/** The path as logged: webhook tokens are credentials. */
const pathForLog = (path: string) => path.replace(/^(\/webhooks\/[^/]+\/)[^/]+$/, '$1[token]');

export function createHttpHandler(app: App) {
  const yoga = createYogaApp(app);
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
      app.log.info({ requestId, method: req.method, path: pathForLog(path), status: res.statusCode, ms: Math.round(ms * 10) / 10, ...requestLog }, 'request');
    });
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const ready = await readiness(app);
        return sendJson(res, ready.ok ? 200 : 503, { status: ready.ok ? 'ready' : 'not ready', checks: ready.checks });
      }
      const webhook = WEBHOOK_PATH.exec(path);
      if (webhook) return await handleWebhook(app, app.log.child({ requestId }), req, res, { pluginId: webhook[1]!, token: webhook[2]! });
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
        return sendJson(res, 413, {
          errors: [{ message: `Request body larger than ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      await yoga(req, res, { requestId, requestLog });
    } catch (err) {
      app.log.error({ requestId, err: errorFields(err) }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startServer(app: App, port = app.config.port, host = app.config.host): Promise<RunningServer> {
  const server = createServer(createHttpHandler(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
