// Answers a query asked again by the same caller from memory, for RESPONSE_CACHE_MS. A cached
// answer stays valid only while nothing it may show has changed, as far as this process can
// tell: any mutation executed here drops every answer, and a send or gift event of a tenant
// (from any process, through the event bus) drops that tenant's answers. Changes no event
// announces (another process's mutation, a retention run) show within the lifetime. When an
// unchanged answer's lifetime is up, one request executes the query again while the others are
// still served the answer, for at most one more lifetime: a busy page never stalls at once.
// Reads of clear personal data are audited on every answer, cached or not: the answer keeps
// the audit entries its execution recorded and records them again each time it is served.
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.ts';
import type { EventBus } from '../events/bus.ts';
import { mergeReads, type AuditEntry, type ReadRecorder } from '../privacy/audit.ts';

export interface ResponseCacheOptions {
  /** How long an answer may be served; 0 turns the cache off. */
  ttlMs: number;
  /** Answers kept at most; the least recently served go first. */
  maxEntries: number;
  bus: Pick<EventBus, 'subscribe'>;
  now?: () => number;
}

/** What the cache needs of the GraphQL context. */
export interface CacheableContext {
  principal: Principal | null;
  /** The request's read audit, which remembers what it recorded. */
  reads: ReadRecorder & { readonly entries: readonly AuditEntry[] };
}

interface Answer {
  result: ExecutionResult;
  reads: AuditEntry[];
  storedAt: number;
  /** The mutation count and the caller's tenants' event counts when the execution began. */
  mutations: number;
  tenants: Array<[tenantId: string, events: number]>;
  /** A request is executing the query again. */
  refreshing?: boolean;
}

/** Platform admins see every tenant, which no single tenant's events could invalidate: not cached. */
const tenantsOf = (principal: Principal | null) => (principal && !principal.platformAdmin && principal.memberships.size > 0 ? [...principal.memberships.keys()] : null);

/** Callers with the same id but other roles (JWTs name their memberships) get answers of their own. */
const callerKey = (principal: Principal) => `${principal.id}|${[...principal.memberships].map(([tenant, role]) => `${tenant}:${role}`).join(',')}`;

const isResult = (result: unknown): result is ExecutionResult => typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);

/**
 * The answer with the text yoga sends for it, written once: yoga serialises a result through
 * its `stringify` when it has one, and a page of sends is costlier to serialise than to look up.
 */
function servedAsJson(result: ExecutionResult): ExecutionResult {
  let json: string | undefined;
  return Object.defineProperty({ ...result }, 'stringify', { value: () => (json ??= JSON.stringify(result)) });
}

export function useResponseCache({ ttlMs, maxEntries, bus, now = Date.now }: ResponseCacheOptions): Plugin<CacheableContext> {
  if (ttlMs <= 0) return {};
  const answers = new Map<string, Answer>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  let mutations = 0;
  const tenantEvents = new Map<string, number>();
  const eventsOf = (tenantId: string) => {
    let count = tenantEvents.get(tenantId);
    if (count === undefined) {
      tenantEvents.set(tenantId, (count = 0));
      bus.subscribe(tenantId, () => tenantEvents.set(tenantId, tenantEvents.get(tenantId)! + 1));
    }
    return count;
  };
  const isUnchanged = (answer: Answer) => answer.mutations === mutations && answer.tenants.every(([tenantId, events]) => tenantEvents.get(tenantId) === events);

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      // Counted when the mutation is done: an answer whose execution began before then is stale.
      if (operation === 'mutation') return { onExecuteDone: () => void mutations++ };
      const ctx = args.contextValue;
      const tenants = tenantsOf(ctx.principal);
      if (operation !== 'query' || !tenants) return;
      // Yoga's parser cache hands out one document object per query text.
      let documentId = documentIds.get(args.document);
      if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
      const key = `${documentId}|${args.operationName ?? ''}|${callerKey(ctx.principal!)}|${JSON.stringify(args.variableValues ?? {})}`;
      const cached = answers.get(key);
      const age = cached && isUnchanged(cached) ? now() - cached.storedAt : Infinity;
      if (cached && (age < ttlMs || (age < 2 * ttlMs && cached.refreshing))) {
        answers.delete(key);
        answers.set(key, cached);
        return Promise.all(cached.reads.map((entry) => ctx.reads.record(entry))).then(() => setResultAndStopExecution(cached.result));
      }
      if (cached && age < 2 * ttlMs) cached.refreshing = true;
      const began = { storedAt: now(), mutations, tenants: tenants.map((tenantId): [string, number] => [tenantId, eventsOf(tenantId)]) };
      return {
        onExecuteDone({ result }) {
          if (!isResult(result) || result.errors?.length) return;
          answers.delete(key);
          // Served again, a page's reads of 50 recipients are one entry naming the 50.
          answers.set(key, { ...began, result: servedAsJson(result), reads: mergeReads(ctx.reads.entries) });
          if (answers.size > maxEntries) answers.delete(answers.keys().next().value!);
        },
      };
    },
  };
}
