// The cost of an operation with connection sizes multiplied, computed with the request's
// variables: a field costs 1, a field with a selection 2 plus 1.5 times its children, and a
// connection's total is multiplied by the page it asks for (`first`/`last`, literal or from a
// variable, else the default page size). Computed per execution, not at validation, because
// the validation cache holds one verdict per document whatever its variables.
import {
  getNamedType,
  isCompositeType,
  Kind,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { PAGE_SIZE } from '../schema/global-ids.ts';

const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_FACTOR = 1.5;
const PAGE_ARGUMENTS = ['first', 'last'];

export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): number {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const defaults = new Map(operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]) ?? []);

  const pageSize = (value: ValueNode | undefined): number | undefined => {
    if (!value) return undefined;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      if (typeof given === 'number') return given;
      return pageSize(defaults.get(value.name.value));
    }
    return undefined;
  };

  const multiplier = (field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: ValueNode }[]): number => {
    if (!field.args.some((a) => PAGE_ARGUMENTS.includes(a.name))) return 1;
    // A size left out, or a variable left unset, is the default page.
    const asked = args.filter((a) => PAGE_ARGUMENTS.includes(a.name.value)).flatMap((a) => pageSize(a.value) ?? []);
    return Math.max(1, asked.length > 0 ? Math.max(...asked) : PAGE_SIZE.default);
  };

  // A fragment's cost does not depend on where it is spread: computed once. A cycle is refused
  // by validation, but may reach here first, so a fragment being expanded costs nothing.
  const fragmentCosts = new Map<string, number>();
  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let sum = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        const type = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(type)) {
          sum += SCALAR_COST;
          continue;
        }
        sum += (OBJECT_COST + DEPTH_FACTOR * selectionCost(selection.selectionSet, type)) * multiplier(field, selection.arguments ?? []);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) sum += selectionCost(selection.selectionSet, condition);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const name = fragment.name.value;
        if (!fragmentCosts.has(name)) {
          fragmentCosts.set(name, 0);
          const condition = schema.getType(fragment.typeCondition.name.value);
          fragmentCosts.set(name, condition && isCompositeType(condition) ? selectionCost(fragment.selectionSet, condition) : 0);
        }
        sum += fragmentCosts.get(name)!;
      }
    }
    return sum;
  };
  return selectionCost(operation.selectionSet, rootType);
}
