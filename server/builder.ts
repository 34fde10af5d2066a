// The Pothos schema builder: plugins and scalars only; types live in schema/<type>.ts.
import SchemaBuilder from '@pothos/core'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import { GraphQLScalarType, Kind } from 'graphql'
import type PrismaTypes from './generated/pothos-prisma-types.ts'
import { getDatamodel } from './generated/pothos-prisma-types.ts'
import type { Context } from './context.ts'

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date }
    JSON: { Input: unknown; Output: unknown }
    Upload: { Input: File; Output: never }
  }
}>({
  plugins: [ErrorsPlugin, RelayPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
    defaultConnectionSize: 50,
    maxConnectionSize: 500,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: {
    defaultTypes: [],
  },
})

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An ISO-8601 timestamp in UTC.',
    serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
    parseValue: (value) => parseDate(value),
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDate(ast.value) : invalidDate()),
  }),
)

builder.addScalarType(
  'JSON',
  new GraphQLScalarType({
    name: 'JSON',
    description: 'Arbitrary JSON.',
    serialize: (v) => v,
    parseValue: (v) => v,
  }),
)

function parseDate(value: unknown): Date {
  const d = typeof value === 'string' || typeof value === 'number' ? new Date(value) : invalidDate()
  if (Number.isNaN(d.getTime())) invalidDate()
  return d
}

function invalidDate(): never {
  throw new TypeError('DateTime must be an ISO-8601 string')
}

builder.queryType({})
builder.mutationType({})
