// GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's /graphql path, executed
// by the same yoga instance as HTTP. The token travels in connection_init's payload as
// { authorization: "Bearer <token>" }; a connection without a valid one is closed with 4401.
// A subscription refused at start closes the connection with 4401 (UNAUTHENTICATED) or 4403
// (FORBIDDEN); one ended by a revoked key likewise, and a subscriber that fell behind is
// closed with 1013 (try again later), the error naming the cursor to resume from.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode, type ExecutionResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticate.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { toContractError } from '../schema/errors.ts';

export interface WebSocketDeps {
  authenticator: Pick<Authenticator, 'authenticate'>;
  log: Logger;
}

/** Close codes by the error code that ends a subscription; other errors end only the operation. */
const CLOSE_CODES: Partial<Record<string, number>> = { UNAUTHENTICATED: CloseCode.Unauthorized, FORBIDDEN: CloseCode.Forbidden, RATE_LIMITED: 1013 };

/** A WebSocket close reason is at most 123 bytes. */
const closeReason = (message: string) => (Buffer.byteLength(message) <= 123 ? message : `${Buffer.from(message).subarray(0, 120).toString('utf8').replace(/\uFFFD*$/, '')}…`);

const codeOf = (error: GraphQLError | { extensions?: Record<string, unknown> }) => {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof AppError ? original.code : String(error.extensions?.code ?? '');
};

function closeFor(socket: WebSocket, errors: readonly (GraphQLError | { message: string; extensions?: Record<string, unknown> })[]): void {
  for (const error of errors) {
    const code = CLOSE_CODES[codeOf(error)];
    if (code) return socket.close(code, closeReason(error.message));
  }
}

interface Enveloped {
  parse(source: string): ExecutionArgs['document'];
  validate(schema: ExecutionArgs['schema'], document: ExecutionArgs['document']): readonly GraphQLError[];
  contextFactory(): Promise<unknown> | unknown;
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
  schema: ExecutionArgs['schema'];
}

type SocketYoga = Pick<YogaServerInstance<{ authorization?: string | null }, object>, 'getEnveloped' | 'graphqlEndpoint'>;

export interface WebSocketEndpoint {
  /** Takes over upgrade requests to the GraphQL path; refuses others. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createWebSocketEndpoint(deps: WebSocketDeps, yoga: SocketYoga): WebSocketEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  const authorizationOf = (params: Record<string, unknown> | undefined) => (typeof params?.authorization === 'string' ? params.authorization : null);
  const server = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>(
    {
      onConnect: async (ctx) => {
        const refuse = (message: string) => {
          ctx.extra.socket.close(CloseCode.Unauthorized, closeReason(message));
          return false;
        };
        try {
          const principal = await deps.authenticator.authenticate(authorizationOf(ctx.connectionParams));
          return principal ? true : refuse('Authentication required: send { "authorization": "Bearer <token>" } in connection_init');
        } catch (err) {
          if (err instanceof AppError) return refuse(err.message);
          throw err;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ authorization: authorizationOf(ctx.connectionParams), params: payload } as never) as unknown as Enveloped;
        let document: ExecutionArgs['document'];
        try {
          document = enveloped.parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('The document could not be parsed', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return [...errors];
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args) as ExecutionResult,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as ExecutionResult,
      onOperation: (ctx, _id, _payload, _args, result) => {
        // A refusal at start: the whole connection ends, so a client cannot mistake it for a quiet stream.
        const settled = result as ExecutionResult | AsyncIterable<unknown>;
        if (!(Symbol.asyncIterator in settled) && settled.errors?.length) closeFor(ctx.extra.socket, settled.errors);
      },
      onError: (ctx, _id, _payload, errors) => {
        // The stream ended with an error (revoked key, fell behind): the client gets the contract code, then the close.
        const formatted = errors.map((e) => toContractError(e, deps.log).toJSON());
        closeFor(ctx.extra.socket, formatted);
        return formatted;
      },
    },
    wss,
  );
  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== yoga.graphqlEndpoint) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close: async () => {
      await server.dispose();
    },
  };
}
