import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.ts';
import { operationCost } from './query-cost.ts';

const cost = (document: string, variables?: Record<string, unknown>, operationName?: string) => operationCost(schema, parse(document), operationName, variables);

describe('operationCost', () => {
  const page = (size: string) => `query($t: ID!, $n: Int) { tenant(id: $t) { sends(${size}) { nodes { id status } } } }`;

  it('multiplies a connection by its page size, written, from a variable, from a default, or the default page', () => {
    const written = cost(page('first: 50'));
    expect(written).toBe(cost(page('first: $n'), { n: 50 }));
    expect(cost(page('last: $n'), { n: 50 })).toBe(written);
    expect(cost(page('first: $n'))).toBe(cost(page('first: 20')));
    expect(cost('query($t: ID!) { tenant(id: $t) { sends { nodes { id status } } } }')).toBe(cost(page('first: 20')));
    expect(cost(`query($t: ID!, $n: Int = 50) { tenant(id: $t) { sends(first: $n) { nodes { id status } } } }`)).toBe(written);
    expect(cost(page('first: 100'))).toBeGreaterThan(written);
  });

  it('nests multiplicatively, counts fragments where they are spread, and ignores introspection', () => {
    const nested = cost('query($t: ID!) { tenant(id: $t) { campaigns(first: 10) { nodes { sends(first: 10) { nodes { id } } } } } }');
    const inner = cost('query($t: ID!) { tenant(id: $t) { campaigns(first: 1) { nodes { sends(first: 10) { nodes { id } } } } } }');
    expect(nested).toBeGreaterThan(9 * inner);
    const spread = cost('query($t: ID!) { tenant(id: $t) { ...T } } fragment T on Tenant { sends(first: 10) { nodes { id } } }');
    expect(spread).toBe(cost('query($t: ID!) { tenant(id: $t) { sends(first: 10) { nodes { id } } } }'));
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
  });

  it('costs the named operation of a document with several', () => {
    const document = 'query A { viewer { id } } query B($t: ID!) { tenant(id: $t) { sends(first: 100) { nodes { id } } } }';
    expect(cost(document, {}, 'B')).toBeGreaterThan(cost(document, {}, 'A'));
  });
});
