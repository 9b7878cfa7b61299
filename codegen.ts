// Typed GraphQL documents for the tests, generated from the printed schema.graphql.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', '!test/__generated__/**'],
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
