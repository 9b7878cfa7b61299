// What one GraphQL document may ask for, enforced before anything executes: tokens at parse
// time, then depth, aliases and directives (graphql-armor) at validation, introspection
// and "Did you mean" suggestions where configured off, and the cost with the request's
// variables before execution. Each refusal is one BAD_USER_INPUT
// error naming the limit's variable and its configured value. Also the CSRF rule, which
// refuses requests a cross-site form could send.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs, type ExecutionResult, type ValidationContext, type ValidationRule } from 'graphql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { GraphqlLimits } from '../config.ts';
import { operationCost } from './query-cost.ts';

/** The error of a document past one limit; `extensions.limit` is the variable that sets it. */
export function limitError(message: string, limit: string, max: number): GraphQLError {
  return new GraphQLError(`${message} (${limit}=${max})`, { extensions: { code: 'BAD_USER_INPUT', limit, max } });
}

/** Armor reports "Syntax Error: <what> limit of N exceeded, found M."; thrown as ours instead, which also stops validation at the first refusal. */
const rejectAs = (limit: string, max: number) => [
  (_context: ValidationContext | null, error: GraphQLError) => {
    throw limitError(error.message.replace(/^Syntax Error: /, '').replace(/\.$/, ''), limit, max);
  },
];

/** graphql-js's rule, reporting once per document and naming the variable that turns introspection on. */
const noIntrospection: ValidationRule = (context) => {
  let reported = false;
  return NoSchemaIntrospectionCustomRule(
    Object.assign(Object.create(context) as ValidationContext, {
      reportError(error: GraphQLError) {
        if (reported) return;
        reported = true;
        context.reportError(new GraphQLError(`${error.message} (GRAPHQL_INTROSPECTION=false)`, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', limit: 'GRAPHQL_INTROSPECTION' } }));
      },
    }),
  );
};

/** The header a form-encoded, multipart or GET request must carry: a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** Yoga's CSRF prevention, its refusal saying what to send instead. */
export function useCsrfPrevention(): Plugin {
  const { onRequestParse } = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return onRequestParse!(payload);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        throw new GraphQLError(`${error.message}: send the request as content-type application/json, or with a ${CSRF_HEADER} header`, { extensions: { ...error.extensions, limit: 'CSRF' } });
      }
    },
  };
}

export function useGraphqlLimits(limits: GraphqlLimits): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxTokens: { n: limits.maxTokens, onReject: rejectAs('GRAPHQL_MAX_TOKENS', limits.maxTokens) },
    maxDepth: { n: limits.maxDepth, onReject: rejectAs('GRAPHQL_MAX_DEPTH', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, allowList: [], onReject: rejectAs('GRAPHQL_MAX_ALIASES', limits.maxAliases) },
    maxDirectives: { n: limits.maxDirectives, onReject: rejectAs('GRAPHQL_MAX_DIRECTIVES', limits.maxDirectives) },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.fieldSuggestions, mask: '' },
  });
  const plugins: Plugin[] = [
    armor as Plugin,
    {
      // The parser recurses per nesting level: a deep enough list literal overflows the stack before the token limit is reached.
      onParse({ parseFn, setParseFn }) {
        setParseFn((source, options) => {
          try {
            return parseFn(source, options);
          } catch (error) {
            if (error instanceof RangeError) throw limitError('The document is nested too deeply', 'GRAPHQL_MAX_TOKENS', limits.maxTokens);
            throw error;
          }
        });
      },
    },
  ];
  // Armor's cost rule counts only page sizes written in the document; ours reads variables too.
  const refuseCostly = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (result: ExecutionResult) => void }) => {
    const cost = operationCost(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
    if (cost > limits.maxCost) setResultAndStopExecution({ errors: [limitError(`Query Cost limit of ${limits.maxCost} exceeded, found ${Math.ceil(cost)}`, 'GRAPHQL_MAX_COST', limits.maxCost)] });
  };
  plugins.push({ onExecute: refuseCostly, onSubscribe: refuseCostly });
  if (!limits.introspection) {
    plugins.push({
      onValidate({ addValidationRule }) {
        addValidationRule(noIntrospection);
      },
    });
  }
  return plugins;
}
