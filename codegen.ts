// Typed GraphQL operations for the dashboard (web/), the tests (test/) and the desktop agent
// (agent/), generated from the committed schema.graphql. Output folders are generated, never edited.
// The agent's operations are plain strings marked /* GraphQL */ (its files import only types from
// agent/gql, so `npm run agent` runs without generated code); generating checks them against the schema.
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
    'agent/gql/': {
      documents: ['agent/**/*.ts', '!agent/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars, useTypeImports: true, enumsAsTypes: true },
    },
    'test/gql/': {
      documents: ['test/**/*.{ts,tsx}', '!test/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars, useTypeImports: true, enumsAsTypes: true },
    },
  },
}

export default config
