// A builder plugin: global-id arguments and input fields (the relay plugin's t.arg.globalID and
// t.globalID with `for`) are checked before the relay plugin decodes them for the resolver.
// An id that is malformed or names another type is NOT_FOUND naming the argument at fault
// (`recipientIds.3`, inside the input object), not the relay plugin's internal error. Connection
// cursors (`after`, `before`) are checked the same way: every list pages by uuid id, so a cursor
// must be the prisma plugin's encoding of one, or the database would see whatever it carries.
import SchemaBuilder, { BasePlugin, mapInputFields, type InputFieldsMapping, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { AppError } from '../errors.ts';
import { decodeGlobalId } from '../ids.ts';
import { unauthenticated } from './access.ts';

/** The type names an id may carry; empty for any (Query.node). */
type Expected = readonly string[];
type Ids = InputFieldsMapping<SchemaTypes, Expected>;

export class GlobalIdCheckPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const ids = mapInputFields(fieldConfig.args, this.buildCache, (input): Expected | null =>
      input.extensions?.isRelayGlobalID ? ((input.extensions.relayGlobalIDFor ?? []) as Array<{ typename: string }>).map((t) => t.typename) : null,
    );
    // Subscription.sendStatusChanged's `after` is an event-log cursor, checked where it is decoded.
    const pages = fieldConfig.kind !== 'Subscription' && ('after' in fieldConfig.args || 'before' in fieldConfig.args);
    if (!ids && !pages) return fieldConfig;
    const check = (args: Record<string, unknown>, ctx: object) => {
      if (ids) checkIds(ids as Ids, args, ctx as { principal: unknown }, null);
      if (pages) {
        for (const name of ['after', 'before'] as const) if (args[name] != null) checkCursor(String(args[name]), name);
        for (const name of ['first', 'last'] as const) if (args[name] != null) checkPageSize(Number(args[name]), name);
      }
      return args;
    };
    // First, so that the relay plugin decodes only ids that passed.
    return { ...fieldConfig, argMappers: [check, ...fieldConfig.argMappers] };
  }
}

/** `prefix` is null at the arguments themselves: fields inside the top input object are named without it. */
function checkIds(ids: Ids, values: Record<string, unknown>, ctx: { principal: unknown }, prefix: string | null): void {
  for (const [name, mapping] of ids) {
    const value = values[name];
    if (value == null) continue;
    const field = `${prefix ?? ''}${name}`;
    const items = mapping.isList ? (value as unknown[]).map((item, i) => [item, `${field}.${i}`, true] as const) : [[value, field, false] as const];
    for (const [item, at, inList] of items) {
      if (mapping.kind !== 'InputObject') checkId(String(item), mapping.value, at, inList, ctx);
      else if (mapping.fields.map) checkIds(mapping.fields.map, item as Record<string, unknown>, ctx, prefix === null && !inList ? '' : `${at}.`);
    }
  }
}

function checkId(globalId: string, expected: Expected, field: string, inList: boolean, ctx: { principal: unknown }): void {
  const decoded = decodeGlobalId(globalId);
  if (decoded && (expected.length === 0 || expected.includes(decoded.typename))) return;
  // Every field needs a principal: an anonymous caller learns nothing about its ids.
  if (!ctx.principal) throw unauthenticated();
  const what = `${expected[0] ?? 'Node'} not found`;
  throw new AppError('NOT_FOUND', inList ? `${field}: ${what}` : what, { field });
}

/** Every connection's page size: a larger one is refused, never cut short silently. */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

function checkPageSize(size: number, field: string): void {
  if (size < 0) throw new AppError('BAD_USER_INPUT', `${field}: must not be negative`, { field });
  if (size > PAGE_SIZE.max) throw new AppError('BAD_USER_INPUT', `${field}: at most ${PAGE_SIZE.max} per page; page on with \`after\` and pageInfo.endCursor`, { field });
}

const UUID_CURSOR = /^GPC:S:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkCursor(cursor: string, field: string): void {
  if (cursor.length <= 200 && UUID_CURSOR.test(Buffer.from(cursor, 'base64').toString('utf8'))) return;
  throw new AppError('BAD_USER_INPUT', `${field}: not a cursor of this list (use an edge's cursor or pageInfo.endCursor)`, { field });
}

const pluginName = 'globalIdCheck';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      globalIdCheck: GlobalIdCheckPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, GlobalIdCheckPlugin);

export default pluginName;
