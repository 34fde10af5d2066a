// Bounds on what one GraphQL operation may ask for: depth, aliases, and an estimated cost where
// lists multiply what is below them (by `first`/`last`, else a default list size). A field that is
// dear to resolve (a full-text search) states its own cost in its extensions: `{ cost: N }`.
import { GraphQLError, getNamedType, getNullableType, isListType, type DocumentNode, type FieldNode, type GraphQLSchema, Kind, type SelectionSetNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLObjectType, type GraphQLInterfaceType, isObjectType, isInterfaceType, type GraphQLNamedType, type ValueNode } from 'graphql'

export interface QueryLimits {
  maxDepth: number
  maxAliases: number
  maxCost: number
  /** Multiplier for a list field without first/last. */
  defaultListSize: number
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 60_000, defaultListSize: 5 }

function limitError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } })
}

function readIntArg(node: FieldNode, name: string, variables: Record<string, unknown> | undefined): number | undefined {
  const arg = node.arguments?.find((a) => a.name.value === name)
  if (!arg) return undefined
  const v: ValueNode = arg.value
  if (v.kind === Kind.INT) return Number(v.value)
  if (v.kind === Kind.VARIABLE) {
    const value = variables?.[v.name.value]
    return typeof value === 'number' ? value : undefined
  }
  return undefined
}

/** A field's own cost: 1, or what its extensions say. */
function readFieldCost(field: GraphQLField<unknown, unknown> | undefined): number {
  const cost = field?.extensions?.cost
  return typeof cost === 'number' && cost > 0 ? cost : 1
}

/**
 * Checks an operation against the limits, with its variables (page sizes often come from them, so
 * this runs at execution, after the cached validation). Returns the errors to answer with, if any.
 */
export function checkQueryLimits(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limits: QueryLimits = DEFAULT_QUERY_LIMITS): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def)
  const vars = variables ?? undefined

  const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
    parent && (isObjectType(parent) || isInterfaceType(parent)) ? (parent as GraphQLObjectType | GraphQLInterfaceType).getFields()[name] : undefined

  // Walks a selection set with its parent type; returns [depth, cost] and counts aliases.
  let aliases = 0
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, depth: number, multiplier: number, seen: Set<string>): [number, number] => {
    let maxDepth = depth
    let cost = 0
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases++
        const name = sel.name.value
        if (name.startsWith('__')) continue // introspection is bounded by the schema itself
        const field = fieldOf(parent, name)
        cost += multiplier * readFieldCost(field)
        if (sel.selectionSet) {
          const type = field ? getNullableType(field.type) : undefined
          const pageSize = readIntArg(sel, 'first', vars) ?? readIntArg(sel, 'last', vars)
          const factor = pageSize !== undefined ? Math.max(1, pageSize) : type && isListType(type) && name !== 'edges' ? limits.defaultListSize : 1
          const [d, c] = walk(sel.selectionSet, field ? getNamedType(field.type) : undefined, depth + 1, multiplier * factor, seen)
          maxDepth = Math.max(maxDepth, d)
          cost += c
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const typeName = sel.typeCondition?.name.value
        const [d, c] = walk(sel.selectionSet, typeName ? schema.getType(typeName) ?? parent : parent, depth, multiplier, seen)
        maxDepth = Math.max(maxDepth, d)
        cost += c
      } else {
        const name = sel.name.value
        const frag = fragments.get(name)
        if (!frag || seen.has(name)) continue // cycles are reported by validation
        const [d, c] = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value), depth, multiplier, new Set([...seen, name]))
        maxDepth = Math.max(maxDepth, d)
        cost += c
      }
    }
    return [maxDepth, cost]
  }

  const errors: GraphQLError[] = []
  for (const op of document.definitions) {
    if (op.kind !== Kind.OPERATION_DEFINITION) continue
    if (operationName && op.name?.value !== operationName) continue
    aliases = 0
    const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType()
    const [depth, cost] = walk(op.selectionSet, root ?? undefined, 1, 1, new Set())
    if (depth > limits.maxDepth) errors.push(limitError(`Query is too deep: ${depth} levels (at most ${limits.maxDepth})`, 'QUERY_TOO_DEEP'))
    if (aliases > limits.maxAliases) errors.push(limitError(`Too many aliases: ${aliases} (at most ${limits.maxAliases})`, 'TOO_MANY_ALIASES'))
    if (cost > limits.maxCost) errors.push(limitError(`Query is too expensive: estimated cost ${cost} (at most ${limits.maxCost})`, 'QUERY_TOO_COSTLY'))
  }
  return errors
}
