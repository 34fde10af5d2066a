// Reads what the converter needs for a batch of notebooks in ONE statement — so a notebook's text
// and the version handed out with it come from one snapshot — and the versions alone, for listings.
import type { DbTx } from '../db.ts'
import type { MarkdownSource } from './renderNotebookMarkdown.ts'

/**
 * The converter's format. It is part of every version (the SQL function notebook_markdown_version):
 * change it whenever renderNotebookMarkdown's output changes for the same data, so every client
 * fetches the notebooks again.
 */
export const MARKDOWN_FORMAT = 'md-1'

export interface LoadedMarkdownSource extends MarkdownSource {
  notebook: MarkdownSource['notebook'] & { parentUuid: string | null }
  /** notebook_markdown_version of exactly this data. */
  version: string
}

interface SourceRow {
  id: number
  uuid: string
  visible_name: string
  folder_path: string
  parent_uuid: string | null
  tags: string[]
  last_modified: Date | null
  version: string
  pages: { n: number; t: string | null }[]
  highlights: { n: number; t: string }[]
}

/**
 * The caller's notebooks among `ids` (others' are left out), in the order of `ids`. `withVersion:
 * false` (an export, which shows no version) skips hashing the text a second time; version is then ''.
 */
export async function loadMarkdownSources(db: DbTx, userId: number, ids: readonly number[], options: { withVersion?: boolean } = {}): Promise<LoadedMarkdownSource[]> {
  if (ids.length === 0) return []
  const withVersion = options.withVersion ?? true
  const rows = await db.$queryRaw<SourceRow[]>`
    select n.id, n.uuid, n.visible_name, n.folder_path, n.parent_uuid, n.tags, n.last_modified,
      case when ${withVersion} then notebook_markdown_version(n.id, ${MARKDOWN_FORMAT}) else '' end as version,
      coalesce((select json_agg(json_build_object('n', np.page_number, 't', p.ocr_text) order by np.page_number)
        from notebook_pages np join pages p on p.id = np.page_id where np.notebook_id = n.id), '[]') as pages,
      coalesce((select json_agg(json_build_object('n', np.page_number, 't', coalesce(h.corrected_text, h.original_text)) order by np.page_number, h.id)
        from highlights h join notebook_pages np on np.page_id = h.page_id where h.notebook_id = n.id and h.removed_at is null), '[]') as highlights
    from notebooks n
    where n.user_id = ${userId} and n.id = any(${[...ids]}::int[])`
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [
      {
        notebook: { id: r.id, uuid: r.uuid, visibleName: r.visible_name, folderPath: r.folder_path, parentUuid: r.parent_uuid, tags: r.tags, lastModified: r.last_modified },
        pages: r.pages.map((p) => ({ pageNumber: p.n, text: p.t })),
        highlights: r.highlights.map((h) => ({ pageNumber: h.n, text: h.t })),
        version: r.version,
      },
    ]
  })
}

/** Versions only (no text read beyond hashing it in the database): notebook id → version. */
export async function loadMarkdownVersions(db: DbTx, userId: number, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.$queryRaw<{ id: number; version: string }[]>`
    select id, notebook_markdown_version(id, ${MARKDOWN_FORMAT}) as version from notebooks
    where user_id = ${userId} and id = any(${[...ids]}::int[])`
  return new Map(rows.map((r) => [r.id, r.version]))
}
