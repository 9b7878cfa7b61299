// A subscription over HTTP (SSE, graphql-sse) that ends with an error (a revoked key, an
// expired token, a subscriber that fell behind) sends that error as its last result, then
// completes: graphql-sse would otherwise leave the stream open and unanswered. WebSocket
// subscriptions keep the thrown error, which websocket.ts turns into a close code.
// A refusal when a subscription starts (a foreign id, a bad cursor) is a result without data,
// which graphql-sse would take for execution arguments and answer with a 400 naming no code;
// with `data: null` it goes out over every HTTP transport as the stream's one result.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../log.ts';
import { toContractError } from '../schema/errors.ts';

async function* endingWithErrors(source: AsyncIterable<ExecutionResult>, log: Logger): AsyncGenerator<ExecutionResult> {
  try {
    yield* source;
  } catch (error) {
    yield { errors: [toContractError(error, log)] };
  }
}

export function useStreamErrorsAsResults(log: Logger): Plugin {
  return {
    onSubscribe: ({ args }) => ({
      onSubscribeResult: ({ result, setResult }) => {
        const overHttp = (args.contextValue as { request?: unknown }).request !== undefined;
        if (!overHttp) return;
        if (Symbol.asyncIterator in result) setResult(endingWithErrors(result as AsyncIterable<ExecutionResult>, log));
        else if (!('data' in result)) setResult({ ...result, data: null });
      },
    }),
  };
}
