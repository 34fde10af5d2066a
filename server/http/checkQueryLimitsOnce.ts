// The limits of an operation depend only on its document (parsed documents are cached, one object per
// text) and variables: ten thousand sockets subscribing with the same operation are checked once.
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql'
import { checkQueryLimits } from './queryLimits.ts'

const checked = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, GraphQLError[]>>>()
const MAX_VARIANTS = 100

export function checkQueryLimitsOnce(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): GraphQLError[] {
  let bySchema = checked.get(schema)
  if (!bySchema) checked.set(schema, (bySchema = new WeakMap()))
  let byVariables = bySchema.get(document)
  if (!byVariables) bySchema.set(document, (byVariables = new Map()))
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`
  let errors = byVariables.get(key)
  if (!errors) {
    errors = checkQueryLimits(schema, document, operationName, variables)
    if (byVariables.size >= MAX_VARIANTS) byVariables.clear()
    byVariables.set(key, errors)
  }
  return errors
}
