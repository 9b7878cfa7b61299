import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { requireAccessRules } from './access.ts';
import { schema } from './index.ts';

// Where the builder keeps each type's and field's options, as requireAccessRules reads them.
const ruled = { pothosOptions: { authScopes: { authenticated: true } } };

/** A schema with one object type and two root fields, ruled unless told otherwise. */
function build({ openField = false, openType = false }) {
  const Thing = new GraphQLObjectType({ name: 'Thing', extensions: openType ? {} : ruled, fields: { name: { type: GraphQLString } } });
  const query = new GraphQLObjectType({
    name: 'Query',
    extensions: ruled,
    fields: {
      thing: { type: Thing, extensions: ruled },
      open: { type: GraphQLString, extensions: openField ? {} : ruled },
    },
  });
  return new GraphQLSchema({ query });
}

describe('deny by default', () => {
  it('refuses a schema with a root field that states no access rule, naming it', () => {
    expect(() => requireAccessRules(build({ openField: true }))).toThrow(/on Query\.open:/);
  });

  it('refuses a schema with an object type that states no access rule, naming it', () => {
    expect(() => requireAccessRules(build({ openType: true }))).toThrow(/on Thing:/);
  });

  it('accepts one where every root field and object type states a rule, as the service schema does', () => {
    expect(requireAccessRules(build({}))).toBeInstanceOf(GraphQLSchema);
    expect(requireAccessRules(schema)).toBe(schema);
  });
});
