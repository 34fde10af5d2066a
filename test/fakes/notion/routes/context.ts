import { fail, makeNotFound, makeValidationError, MESSAGES, ok, type ObjectKind, type Result } from '../errors.ts'
import type { Integration, NodeRecord, Store } from '../store.ts'
import { checkObject, invalid, makeIssueError, valid, type Checked, type Issue, type Json } from '../validate.ts'

// What every endpoint handler gets and the lookups they share: objects are found only when shared with the
// calling integration (otherwise 404, as Notion hides what it does not share), bodies are JSON objects.

export interface RequestContext {
  store: Store
  integration: Integration
  /** Path ids, already normalized to dashed form. */
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
}

export type Reply = Result<Json>
export type Handler = (ctx: RequestContext) => Reply

export function failIssue(issue: Issue, additional?: Record<string, unknown>) {
  return fail(makeIssueError(issue, additional))
}

/** The request body as an object; an empty body (the SDK sends none for empty params) is {}. */
export function readBody(body: unknown): Checked<Json> {
  if (body === undefined) return valid({})
  const issue = checkObject(body, 'body')
  return issue ? invalid(issue) : valid(body as Json)
}

type KindOf<K extends NodeRecord['kind']> = Extract<NodeRecord, { kind: K }>

/** The object with that id if it is one of kinds and shared with the integration; otherwise 404. */
export function findShared<K extends NodeRecord['kind']>(
  ctx: RequestContext,
  id: string,
  kinds: readonly K[],
  notFoundAs: ObjectKind,
): Result<KindOf<K>> {
  const node = ctx.store.get(id)
  if (!node || !(kinds as readonly string[]).includes(node.kind) || !ctx.store.canAccess(ctx.integration, id)) {
    return fail(makeNotFound(notFoundAs, id))
  }
  return ok(node as KindOf<K>)
}

export function failArchived() {
  return fail(makeValidationError(MESSAGES.archived))
}

/** Without the read capability Notion answers writes with only { object, id }. */
export function shapeForReader(ctx: RequestContext, full: Json): Json {
  if (ctx.integration.capabilities.read) return full
  return { object: full.object, id: full.id }
}
