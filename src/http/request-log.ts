// What the one log line per request says of a GraphQL request: the operation, who called
// (the kind of principal and, for principals of one tenant, that tenant), and how it ended,
// with the contract's error codes. Never variables, documents or results: they hold personal data.
import { Kind, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.ts';

export interface RequestLogFields {
  operation?: string;
  operationType?: string;
  principal?: Principal['kind'] | 'anonymous';
  tenantId?: string;
  outcome?: 'ok' | 'error';
  errorCodes?: string[];
}

/** Fills `requestLog` of the server context; must come after the plugin that sets the contract's codes. */
export function useRequestLog(): Plugin<Record<string, never>, { requestLog?: RequestLogFields }> {
  return {
    onParams({ params, context }) {
      if (context.requestLog && params.operationName) context.requestLog.operation = params.operationName.slice(0, 100);
    },
    onExecute({ args }) {
      const fields = (args.contextValue as { requestLog?: RequestLogFields }).requestLog;
      if (!fields) return;
      const operations = args.document.definitions.filter((d: { kind: string }): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const operation = operations.find((o: OperationDefinitionNode) => o.name?.value === args.operationName) ?? operations[0];
      fields.operation ??= operation?.name?.value;
      fields.operationType = operation?.operation;
      const principal = (args.contextValue as { principal?: Principal | null }).principal;
      fields.principal = principal?.kind ?? 'anonymous';
      if (principal && !principal.platformAdmin && principal.memberships.size === 1) fields.tenantId = [...principal.memberships.keys()][0];
    },
    onResultProcess({ result, serverContext }) {
      const fields = serverContext.requestLog;
      if (!fields || Symbol.asyncIterator in (result as object)) return;
      const errors = (Array.isArray(result) ? result : [result as ExecutionResult]).flatMap((r) => r.errors ?? []);
      fields.outcome = errors.length ? 'error' : 'ok';
      if (errors.length) fields.errorCodes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'NONE')))];
    },
  };
}
