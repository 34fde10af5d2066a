// Secrets in input (passwords, integration tokens) are known by their input field, not by the name
// a log or message happens to give them: an input field is secret when it says so (extensions.secret)
// or its name looks like one. A wrongly typed value of such a field — or of any input holding one —
// is refused without repeating the value: graphql-js's messages quote it, and messages are answered,
// logged and kept by clients and proxies.
import {
  GraphQLError, TypeInfo, getNamedType, isInputObjectType, isListType, getNullableType, typeFromAST, visit, visitWithTypeInfo,
  type ASTNode, type DocumentNode, type GraphQLInputField, type GraphQLInputType, type GraphQLSchema, type VariableDefinitionNode,
} from 'graphql'
import { SECRET_KEY_PATTERN } from '../crypto/mask.ts'

export function isSecretInputField(field: GraphQLInputField): boolean {
  return field.extensions?.secret === true || SECRET_KEY_PATTERN.test(field.name)
}

/** Whether a value of this input type can hold a secret anywhere inside. */
function holdsSecret(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type)
  if (!isInputObjectType(named) || seen.has(named.name)) return false
  seen.add(named.name)
  return Object.values(named.getFields()).some((f) => isSecretInputField(f) || holdsSecret(f.type, seen))
}

/** The type at `path` ("input.notion.token") below a variable of `type`, if the path leads somewhere. */
function typeAtPath(type: GraphQLInputType, path: string[]): GraphQLInputType | undefined {
  let current: GraphQLInputType | undefined = type
  for (const step of path) {
    const t: GraphQLInputType = getNullableType(current!) as GraphQLInputType
    if (isListType(t)) current = /^\d+$/.test(step) ? (t.ofType as GraphQLInputType) : undefined
    else if (isInputObjectType(t)) current = t.getFields()[step]?.type
    else current = undefined
    if (!current) return undefined
  }
  return current
}

const VARIABLE_ERROR = /^Variable "\$([^"]+)" got invalid value [\s\S]*?(?: at "([^"]+)")?;/

/** A variable's coercion error whose type holds a secret, with the value left out; others as they are. */
export function redactVariableError(schema: GraphQLSchema, error: GraphQLError): GraphQLError {
  const node = error.nodes?.[0] as VariableDefinitionNode | undefined
  if (node?.kind !== 'VariableDefinition') return error
  const type = typeFromAST(schema, node.type as any) as GraphQLInputType | undefined
  const found = VARIABLE_ERROR.exec(error.message)
  if (!type || !found || !holdsSecret(type)) return error
  const path = found[2]
  const at = path ? typeAtPath(type, path.split('.').slice(1)) : undefined
  const message = `Variable "$${found[1]}" got an invalid value${path ? ` at "${path}"` : ''}${at ? `: expected ${at.toString()}` : ''} (the value is not repeated: it may hold a secret)`
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } })
}

/** Validation errors about a literal given to a secret input field, with the value left out. */
export function redactLiteralErrors(schema: GraphQLSchema, document: DocumentNode, errors: readonly GraphQLError[]): GraphQLError[] {
  const secretValues = new Set<ASTNode>()
  const typeInfo = new TypeInfo(schema)
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      ObjectField(node) {
        const parent = getNullableType(typeInfo.getParentInputType() as GraphQLInputType)
        const field = isInputObjectType(parent) ? parent.getFields()[node.name.value] : undefined
        if (field && (isSecretInputField(field) || holdsSecret(field.type))) {
          visit(node.value, { enter: (n) => void secretValues.add(n) })
        }
      },
    }),
  )
  if (!secretValues.size) return [...errors]
  return errors.map((e) =>
    e.nodes?.some((n) => secretValues.has(n))
      ? new GraphQLError(`A value given to a secret input field has the wrong type (the value is not repeated)`, { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } })
      : e,
  )
}
