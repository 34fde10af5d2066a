import { fail, makeValidationError, ok } from '../errors.ts'
import { checkCover, checkIcon } from '../icons.ts'
import { checkSchema } from '../schema.ts'
import { checkRichTextArray, type RichTextItem } from '../richText.ts'
import { renderDatabase } from '../shapes.ts'
import { atKey, checkBoolean, checkKnownKeys, checkObject, type Json } from '../validate.ts'
import { failArchived, failIssue, findShared, readBody, shapeForReader, type RequestContext, type Reply } from './context.ts'
import { checkParent } from './parents.ts'

// Databases in 2025-09-03: containers of data sources. Create takes the first data source's schema as
// initial_data_source.properties; retrieve answers data_sources [{ id, name }] and no properties.

/** POST /v1/databases */
export function createDatabase(ctx: RequestContext): Reply {
  const body = readBody(ctx.body)
  if (!body.ok) return failIssue(body.issue)
  const b = body.value
  const keysIssue = checkKnownKeys(b, ['parent', 'title', 'description', 'is_inline', 'initial_data_source', 'icon', 'cover'], 'body')
  if (keysIssue) return failIssue(keysIssue)
  const parent = checkParent(b.parent, ['page_id', 'workspace'])
  if (!parent.ok) return failIssue(parent.issue)
  const title = checkOptionalRichText(b.title, 'body.title')
  if (!title.ok) return title
  const description = checkOptionalRichText(b.description, 'body.description')
  if (!description.ok) return description
  const inlineIssue = checkBoolean(b.is_inline, 'body.is_inline', true)
  if (inlineIssue) return failIssue(inlineIssue)
  let properties: unknown
  if (b.initial_data_source !== undefined) {
    const path = 'body.initial_data_source'
    const issue = checkObject(b.initial_data_source, path) ?? checkKnownKeys(b.initial_data_source as Json, ['properties'], path)
    if (issue) return failIssue(issue)
    properties = (b.initial_data_source as Json).properties
  }
  const schema = checkSchema(properties, atKey('body.initial_data_source', 'properties'))
  if (!schema.ok) return failIssue(schema.issue)
  const icon = b.icon === undefined ? undefined : checkIcon(b.icon, 'body.icon')
  if (icon && !icon.ok) return failIssue(icon.issue)
  const cover = b.cover === undefined ? undefined : checkCover(b.cover, 'body.cover')
  if (cover && !cover.ok) return failIssue(cover.issue)
  if (parent.value.kind === 'workspace') {
    // Internal integrations cannot create workspace-level databases; the exact wording is not documented.
    return fail(makeValidationError('Internal integrations cannot create workspace-level databases; give a page parent.'))
  }
  const page = findShared(ctx, parent.value.id, ['page'], 'page')
  if (!page.ok) return page
  if (ctx.store.isTrashedDeep(page.value.id)) return failArchived()
  const database = ctx.store.createDatabase({
    parent: { kind: 'page', id: page.value.id },
    title: title.value,
    description: description.value,
    isInline: b.is_inline as boolean | undefined,
    icon: icon?.ok ? icon.value : null,
    cover: cover?.ok ? cover.value : null,
    dataSources: [{ title: title.value, schema: schema.value }],
    actor: ctx.integration.botId,
  })
  ctx.integration.shared.add(database.id)
  return ok(shapeForReader(ctx, renderDatabase(ctx.store, database)))
}

function checkOptionalRichText(value: unknown, path: string) {
  if (value === undefined) return ok([] as RichTextItem[])
  const checked = checkRichTextArray(value, path)
  return checked.ok ? ok(checked.value) : failIssue(checked.issue)
}

/** GET /v1/databases/{database_id} */
export function retrieveDatabase(ctx: RequestContext): Reply {
  const database = findShared(ctx, ctx.params.database_id, ['database'], 'database')
  if (!database.ok) return database
  return ok(renderDatabase(ctx.store, database.value))
}
