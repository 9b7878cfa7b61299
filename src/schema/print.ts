// The printed schema, sorted so that diffs stay stable; run directly, it writes schema.graphql.
import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.ts';

export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(new URL('../../schema.graphql', import.meta.url), printedSchema());
