// Typed GraphQL operations for the dashboard (web/) and the tests (test/), generated from the
// committed schema.graphql. Output folders are generated, never edited.
import type { CodegenConfig } from '@graphql-codegen/cli'

const scalars = { DateTime: 'string', JSON: 'unknown' }

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'web/src/gql/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'getFragmentData' } },
      config: { scalars, useTypeImports: true, enumsAsTypes: true },
    },
    'web/src/gql/graphcacheSchema.ts': { plugins: ['./scripts/codegenGraphcacheSchema.cjs'] },
    'test/gql/': {
      documents: ['test/**/*.{ts,tsx}', '!test/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars, useTypeImports: true, enumsAsTypes: true },
    },
  },
}

export default config
