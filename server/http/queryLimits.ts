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

/** What an operation asks for, as the limiter sees it. */
export interface OperationMeasure {
  depth: number
  cost: number
  aliases: number
  /** Selections walked to measure it: each fragment's are walked once, however often it is spread. */
  selectionsWalked: number
}

interface SetMeasure {
  /** Levels below the set's own (0 for a set of leaves). */
  depth: number
  /** Cost at a multiplier of 1: cost is linear in the multiplier, so a fragment is costed once. */
  cost: number
  aliases: number
}

/**
 * Measures every operation of a document (or the named one). Fragments are measured once each and
 * reused wherever they are spread, so a chain of fragments each spreading the next twice costs its
 * length to measure, not two to the power of it.
 */
export function measureOperations(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limits: QueryLimits = DEFAULT_QUERY_LIMITS): OperationMeasure[] {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def)
  const vars = variables ?? undefined
  const measured = new Map<string, SetMeasure | 'walking'>()
  let walked = 0

  const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
    parent && (isObjectType(parent) || isInterfaceType(parent)) ? (parent as GraphQLObjectType | GraphQLInterfaceType).getFields()[name] : undefined

  const measureFragment = (name: string): SetMeasure | undefined => {
    const known = measured.get(name)
    if (known === 'walking') return undefined // a cycle: reported by validation
    if (known) return known
    const frag = fragments.get(name)
    if (!frag) return undefined
    measured.set(name, 'walking')
    const result = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value))
    measured.set(name, result)
    return result
  }

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): SetMeasure => {
    let depth = 0
    let cost = 0
    let aliases = 0
    for (const sel of set.selections) {
      walked++
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases++
        const name = sel.name.value
        if (name.startsWith('__')) continue // introspection is bounded by the schema itself
        const field = fieldOf(parent, name)
        cost += readFieldCost(field)
        if (sel.selectionSet) {
          const type = field ? getNullableType(field.type) : undefined
          const pageSize = readIntArg(sel, 'first', vars) ?? readIntArg(sel, 'last', vars)
          const factor = pageSize !== undefined ? Math.max(1, pageSize) : type && isListType(type) && name !== 'edges' ? limits.defaultListSize : 1
          const below = walk(sel.selectionSet, field ? getNamedType(field.type) : undefined)
          depth = Math.max(depth, below.depth + 1)
          cost += factor * below.cost
          aliases += below.aliases
        }
      } else {
        const inner =
          sel.kind === Kind.INLINE_FRAGMENT
            ? walk(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) ?? parent : parent)
            : measureFragment(sel.name.value)
        if (!inner) continue
        depth = Math.max(depth, inner.depth)
        cost += inner.cost
        aliases += inner.aliases
      }
    }
    return { depth, cost, aliases }
  }

  const results: OperationMeasure[] = []
  for (const op of document.definitions) {
    if (op.kind !== Kind.OPERATION_DEFINITION) continue
    if (operationName && op.name?.value !== operationName) continue
    const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType()
    walked = 0
    const set = walk(op.selectionSet, root ?? undefined)
    results.push({ depth: set.depth + 1, cost: set.cost, aliases: set.aliases, selectionsWalked: walked })
  }
  return results
}

/**
 * Checks an operation against the limits, with its variables (page sizes often come from them, so
 * this runs at execution, after the cached validation). Returns the errors to answer with, if any.
 */
export function checkQueryLimits(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limits: QueryLimits = DEFAULT_QUERY_LIMITS): GraphQLError[] {
  const errors: GraphQLError[] = []
  for (const { depth, cost, aliases } of measureOperations(schema, document, operationName, variables, limits)) {
    if (depth > limits.maxDepth) errors.push(limitError(`Query is too deep: ${depth} levels (at most ${limits.maxDepth})`, 'QUERY_TOO_DEEP'))
    if (aliases > limits.maxAliases) errors.push(limitError(`Too many aliases: ${aliases} (at most ${limits.maxAliases})`, 'TOO_MANY_ALIASES'))
    if (cost > limits.maxCost) errors.push(limitError(`Query is too expensive: estimated cost ${cost} (at most ${limits.maxCost})`, 'QUERY_TOO_COSTLY'))
  }
  return errors
}
