// Typed GraphQL documents for the tests, generated from the printed schema.graphql.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // The benchmarks send plain strings, not typed documents.
  documents: ['test/**/*.ts', '!test/__generated__/**', '!test/bench/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/__generated__/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', scalars: { DateTime: 'string', JSON: 'unknown' }, useTypeImports: true, enumsAsTypes: true },
    },
  },
};

export default config;
