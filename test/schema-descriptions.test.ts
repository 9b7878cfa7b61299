// Every public element of the schema says what it is: a frontend developer reads the schema,
// not the code. Built-in scalars and introspection types are graphql-js's own.
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.ts';
import { schema } from '../src/schema/index.ts';

/** The coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) of every public element without a description. */
function undescribed(built: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(built.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

describe('schema descriptions', () => {
  it('describe every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('has an ErrorCode enum with exactly the codes errors carry', () => {
    const errorCode = schema.getType('ErrorCode');
    expect(isEnumType(errorCode)).toBe(true);
    if (!isEnumType(errorCode)) return;
    expect(errorCode.getValues().map((v) => v.name).sort()).toEqual([...ERROR_CODES].sort());
  });
});
