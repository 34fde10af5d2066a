import { canHaveChildren, checkBlockChildren, checkBlockUpdate, REQUEST_LIMITS } from '../blocks.ts'
import { fail, makeValidationError, ok } from '../errors.ts'
import { paginate } from '../pagination.ts'
import { renderBlock, renderList } from '../shapes.ts'
import type { BlockRecord, Container, DatabaseRecord, PageRecord } from '../store.ts'
import {
  atKey,
  checkEnum,
  checkKnownKeys,
  checkObject,
  checkPageSize,
  checkUuid,
  describeValue,
  invalid,
  issueText,
  valid,
  type Checked,
  type Json,
} from '../validate.ts'
import { failArchived, failIssue, findShared, readBody, shapeForReader, type RequestContext, type Reply } from './context.ts'

// Blocks: retrieve, update (partial type object, trash, restore), delete (to trash), list children with
// cursors, append children at the end or after a sibling. Pages and databases answer in block form.

const BLOCKISH = ['block', 'page', 'database'] as const

/** GET /v1/blocks/{block_id} */
export function retrieveBlock(ctx: RequestContext): Reply {
  const node = findShared(ctx, ctx.params.block_id, BLOCKISH, 'block')
  if (!node.ok) return node
  return ok(renderBlock(ctx.store, node.value))
}

/** PATCH /v1/blocks/{block_id} */
export function updateBlock(ctx: RequestContext): Reply {
  const node = findShared(ctx, ctx.params.block_id, BLOCKISH, 'block')
  if (!node.ok) return node
  const target = node.value
  const update = checkBlockUpdate(ctx.body, target.kind === 'block' ? target.type : undefined)
  if (!update.ok) return failIssue(update.issue)
  const { content, inTrash } = update.value
  // Restoring is the one edit a trashed block takes; anything inside a trashed parent is refused.
  if (ctx.store.hasTrashedAncestor(target) || (target.inTrash && inTrash !== false)) return failArchived()
  if (content && target.kind === 'block') {
    const merged = { ...target.content, ...content }
    if (!canHaveChildren(target.type, merged) && ctx.store.liveChildren(target).length > 0) {
      // A heading with children must stay toggleable; the real wording is not documented.
      return fail(makeValidationError('A heading with children must stay toggleable (is_toggleable: true).'))
    }
    target.content = merged
  }
  if (inTrash === false) target.inTrash = false
  if (inTrash === true) target.inTrash = true
  ctx.store.touch(target, ctx.integration.botId)
  return ok(shapeForReader(ctx, renderBlock(ctx.store, target)))
}

/** DELETE /v1/blocks/{block_id} — moves the block to the trash and answers it. */
export function deleteBlock(ctx: RequestContext): Reply {
  const node = findShared(ctx, ctx.params.block_id, BLOCKISH, 'block')
  if (!node.ok) return node
  // Deleting what is already in the trash is refused like any edit of a trashed block (real answer undocumented).
  if (ctx.store.isTrashedDeep(node.value.id)) return failArchived()
  node.value.inTrash = true
  ctx.store.touch(node.value, ctx.integration.botId)
  return ok(shapeForReader(ctx, renderBlock(ctx.store, node.value)))
}

/** GET /v1/blocks/{block_id}/children — page_size ≤ 100, trashed children left out. */
export function listBlockChildren(ctx: RequestContext): Reply {
  const pageSize = checkPageSize(ctx.query.get('page_size') ?? undefined, 'query.page_size')
  if (!pageSize.ok) return failIssue(pageSize.issue)
  const node = findShared(ctx, ctx.params.block_id, BLOCKISH, 'block')
  if (!node.ok) return node
  const children = node.value.kind === 'database' ? [] : ctx.store.liveChildren(node.value)
  const page = paginate(children, ctx.query.get('start_cursor') ?? undefined, pageSize.value, 'query.start_cursor')
  if (!page.ok) return failIssue(page.issue)
  const results = page.value.items.map((child) => renderBlock(ctx.store, child as BlockRecord | PageRecord | DatabaseRecord))
  return ok(renderList(results, page.value.nextCursor, 'block'))
}

type Placement = { kind: 'end' } | { kind: 'start' } | { kind: 'after'; id: string; path: string }

/** PATCH /v1/blocks/{block_id}/children — answers only the new first-level blocks. */
export function appendBlockChildren(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const keysIssue = checkKnownKeys(body.value, ['children', 'after', 'position'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  const drafts = checkBlockChildren(body.value.children, 'body.children', REQUEST_LIMITS)
  if (!drafts.ok) return failIssue(drafts.issue)
  const placement = checkPlacement(body.value)
  if (!placement.ok) return failIssue(placement.issue)
  const node = findShared(ctx, ctx.params.block_id, BLOCKISH, 'block')
  if (!node.ok) return node
  const parent = node.value
  if (parent.kind === 'database' || (parent.kind === 'block' && !canHaveChildren(parent.type, parent.content))) {
    const type = parent.kind === 'database' ? 'child_database' : parent.type
    // Real wording for appending to a block that takes no children is not documented.
    return fail(makeValidationError(`Block type ${type} does not support children.`))
  }
  if (ctx.store.isTrashedDeep(parent.id)) return failArchived()
  const index = resolveIndex(ctx, parent, placement.value)
  if (!index.ok) return failIssue(index.issue)
  const created = ctx.store.insertBlocks(parent, drafts.value, index.value, ctx.integration.botId)
  const results = created.map((block) => shapeForReader(ctx, renderBlock(ctx.store, block)))
  return ok(renderList(results, null, 'block'))
}

function checkPlacement(body: Json): Checked<Placement> {
  if (body.after !== undefined && body.position !== undefined) {
    // The docs say both cannot be given together; the wording is not documented.
    return invalid(issueText('body.after and body.position cannot both be present.'))
  }
  if (body.after !== undefined) {
    const id = checkUuid(body.after, 'body.after')
    return id.ok ? valid({ kind: 'after', id: id.value, path: 'body.after' }) : id
  }
  if (body.position === undefined) return valid({ kind: 'end' })
  const path = 'body.position'
  const objectIssue = checkObject(body.position, path)
  if (objectIssue) return invalid(objectIssue)
  const position = body.position as Json
  const typeIssue = checkEnum(position.type, ['end', 'start', 'after_block'], atKey(path, 'type'))
  if (typeIssue) return invalid(typeIssue)
  if (position.type !== 'after_block') {
    const issue = checkKnownKeys(position, ['type'], path)
    return issue ? invalid(issue) : valid({ kind: position.type as 'end' | 'start' })
  }
  const keysIssue = checkKnownKeys(position, ['type', 'after_block'], path)
  if (keysIssue) return invalid(keysIssue)
  const afterPath = atKey(path, 'after_block')
  const afterIssue = checkObject(position.after_block, afterPath)
  if (afterIssue) return invalid(afterIssue)
  const innerIssue = checkKnownKeys(position.after_block as Json, ['id'], afterPath)
  if (innerIssue) return invalid(innerIssue)
  const id = checkUuid((position.after_block as Json).id, atKey(afterPath, 'id'))
  return id.ok ? valid({ kind: 'after', id: id.value, path: atKey(afterPath, 'id') }) : id
}

function resolveIndex(ctx: RequestContext, parent: Container, placement: Placement): Checked<number> {
  if (placement.kind === 'end') return valid(parent.children.length)
  if (placement.kind === 'start') return valid(0)
  const index = parent.children.indexOf(placement.id)
  const sibling = ctx.store.get(placement.id)
  if (index < 0 || !sibling || sibling.inTrash) {
    // Real wording for an `after` that is not a child of the parent is not documented.
    return invalid(
      issueText(
        `${placement.path} should be the id of a child of block ${parent.id}, instead was ${describeValue(placement.id)}.`,
      ),
    )
  }
  return valid(index + 1)
}

