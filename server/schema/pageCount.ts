// Notebook.pageCount, counted once per notebook and tick: asked under every row of a page list
// (`pages { node { notebook { pageCount } } }`), a count inside the list's own query would run once
// per page of the notebook, every page read again each time. The limiter prices it as an aggregate.
import DataLoader from 'dataloader'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { readableUserId } from './access.ts'
import { NotebookRef } from './notebook.ts'

/** What an aggregate (a count over a notebook's rows) costs in the query limiter, per row asking. */
export const AGGREGATE_COST = 5

// Batches within a tick and never caches: a subscription keeps its context for hours.
const loaderByContext = new WeakMap<Context, DataLoader<number, number>>()

function getPageCountLoader(ctx: Context): DataLoader<number, number> {
  let loader = loaderByContext.get(ctx)
  if (loader) return loader
  const userId = readableUserId(ctx)
  loader = new DataLoader<number, number>(
    async (notebookIds) => {
      const distinct = [...new Set(notebookIds)]
      const rows = await ctx.db.$queryRaw<{ notebook_id: number; n: number }[]>`
        select np.notebook_id, count(*)::int as n
        from notebook_pages np join notebooks nb on nb.id = np.notebook_id
        where np.notebook_id = any(${distinct}::int[]) and nb.user_id = ${userId}
        group by np.notebook_id`
      const counts = new Map(rows.map((row) => [row.notebook_id, row.n]))
      return notebookIds.map((id) => counts.get(id) ?? 0)
    },
    { cache: false },
  )
  loaderByContext.set(ctx, loader)
  return loader
}

builder.prismaObjectField(NotebookRef, 'pageCount', (t) =>
  t.int({
    description: 'Pages in the notebook (deleted pages excluded).',
    extensions: { cost: AGGREGATE_COST },
    resolve: (nb, _args, ctx) => getPageCountLoader(ctx).load(nb.id),
  }),
)
