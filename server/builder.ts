// The Pothos schema builder: plugins and scalars only; types live in schema/<type>.ts.
import SchemaBuilder from '@pothos/core'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import { GraphQLScalarType, Kind } from 'graphql'
import type PrismaTypes from './generated/pothos-prisma-types.ts'
import { getDatamodel } from './generated/pothos-prisma-types.ts'
import type { Context, Viewer } from './context.ts'
import { makeScopeError } from './auth/scopeFailure.ts'

/** A context whose scope check passed: someone is signed in. */
type SignedInContext = Context & { viewer: Viewer }

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  DefaultFieldNullability: false
  // Each field states what it needs once (authScopes / t.withAuth); see server/auth/scopeFailure.ts.
  // signedIn: any valid token. session: a dashboard session (account management). agent, read,
  // write: the token's scopes (a session has all three).
  AuthScopes: { signedIn: boolean; session: boolean; agent: boolean; read: boolean; write: boolean }
  AuthContexts: { signedIn: SignedInContext; session: SignedInContext; agent: SignedInContext; read: SignedInContext; write: SignedInContext }
  Scalars: {
    DateTime: { Input: Date; Output: Date }
    JSON: { Input: unknown; Output: unknown }
    Upload: { Input: File; Output: never }
  }
}>({
  // Errors first: a refused field's NotAllowedError / NotAuthenticatedError becomes its typed result.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, PrismaPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      signedIn: !!ctx.viewer,
      session: ctx.viewer?.kind === 'session',
      agent: !!ctx.viewer?.scopes.has('agent'),
      read: !!ctx.viewer?.scopes.has('read'),
      write: !!ctx.viewer?.scopes.has('write'),
    }),
    unauthorizedError: (_parent, ctx, _info, result) => makeScopeError(ctx, result),
  },
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
