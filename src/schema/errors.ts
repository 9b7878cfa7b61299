// Every error a client sees carries one of the contract's codes and a useful message;
// nothing internal (stack traces, SQL, driver messages) leaves the service.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.ts';
import { errorFields, type Logger } from '../log.ts';

const CONTRACT_CODES = new Set<string>(ERROR_CODES);
// Codes graphql-js and yoga give to malformed requests, mapped to the contract's.
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

function withCode(error: GraphQLError, message: string, code: ErrorCode, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { ...extra, code } });
}

/**
 * Of a GraphQL error's own extensions only the field at fault, the limit refused (its variable,
 * configured value and retry delay) and yoga's `http` (the status and headers it answers with,
 * never sent) go on: others, such as the JSON parser's `originalError`, can echo the request body.
 */
function kept(extensions: GraphQLError['extensions']): Record<string, unknown> {
  const { field, limit, max, retryAfterSeconds, http } = extensions as Record<string, unknown>;
  return {
    ...(typeof field === 'string' ? { field } : {}),
    ...(typeof limit === 'string' ? { limit } : {}),
    ...(typeof max === 'number' ? { max } : {}),
    ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
    ...(http ? { http } : {}),
  };
}

export function toContractError(error: unknown, log?: Logger): GraphQLError {
  const gqlError = error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { originalError: error as Error });
  const original = gqlError.originalError;
  if (original instanceof AppError) {
    return withCode(gqlError, original.message, original.code, original.field ? { field: original.field } : {});
  }
  if (original instanceof GraphQLError) return toContractError(original, log);
  const code = gqlError.extensions?.code;
  if (!original || (original as { name?: string }).name === 'GraphQLError') {
    if (typeof code === 'string' && CONTRACT_CODES.has(code)) return withCode(gqlError, gqlError.message, code as ErrorCode, kept(gqlError.extensions));
    // Parse, validation and variable-coercion errors: the client's request is at fault.
    if (code === undefined || REQUEST_ERROR_CODES.has(String(code))) return withCode(gqlError, gqlError.message, 'BAD_USER_INPUT', kept(gqlError.extensions));
  }
  log?.error({ err: errorFields(original) }, 'unexpected error');
  return withCode(gqlError, 'Internal server error', 'INTERNAL_SERVER_ERROR');
}

/** Rewrites errors yoga returns before execution (parse, validation, variables) to contract codes. */
export function useContractErrors(log: Logger): Plugin {
  const fix = (result: unknown): unknown => {
    if (Array.isArray(result)) return result.map(fix);
    if (result && typeof result === 'object' && 'errors' in result && Array.isArray((result as { errors?: unknown }).errors)) {
      const errors = (result as { errors: unknown[] }).errors.map((e) => toContractError(e, log));
      return { ...(result as object), errors };
    }
    return result;
  };
  return {
    onResultProcess({ result, setResult }) {
      if (result && typeof result === 'object' && Symbol.asyncIterator in result) return;
      setResult(fix(result) as typeof result);
    },
  };
}
