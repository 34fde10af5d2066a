// A notebook as Markdown (server/markdown/, the one converter): the text, its version, where its file
// goes, and signed download URLs for one notebook (.md) or a folder / the library (.zip).
import DataLoader from 'dataloader'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { NotAllowedError, NotAuthenticatedError, NotFoundError } from '../errors.ts'
import { loadMarkdownSources, loadMarkdownVersions, type LoadedMarkdownSource } from '../markdown/loadMarkdownSources.ts'
import { renderNotebookMarkdown } from '../markdown/renderNotebookMarkdown.ts'
import { loadFolderTree, type FolderTree } from '../markdown/folderTree.ts'
import { makeSafeName } from '../markdown/fileNames.ts'
import { MARKDOWN_URL_TTL_SECONDS, makeLibraryExportTarget, makeNotebookMarkdownTarget } from '../http/markdownDownloads.ts'
import { readableUserId } from './access.ts'
import { NotebookRef } from './notebook.ts'
import { ViewerRef } from './viewer.ts'

type MarkdownKey = { id: number; text: boolean }
type MarkdownAnswer = { version: string; source?: LoadedMarkdownSource }

interface MarkdownLoaders {
  markdown: DataLoader<MarkdownKey, MarkdownAnswer | null, string>
  folders: () => Promise<FolderTree>
}

// No cache, only batching: a subscription keeps its context for every event it sends, and each
// event must read the notebook as it is now. Fields asked in one execution are batched all the same.
const BATCH_ONLY = { cache: false } as const

const loadersByContext = new WeakMap<Context, MarkdownLoaders>()

/**
 * Per context. Text and version asked for the same notebook in one execution are answered from one
 * statement, so a version never describes a different text than the one beside it; a version asked
 * alone (a listing) does not read the text.
 */
function markdownLoadersFor(ctx: Context): MarkdownLoaders {
  let loaders = loadersByContext.get(ctx)
  if (loaders) return loaders
  const userId = readableUserId(ctx)
  const folders = new DataLoader<'all', FolderTree>(async (keys) => {
    const tree = await loadFolderTree(ctx.db, userId)
    return keys.map(() => tree)
  }, BATCH_ONLY)
  loaders = {
    markdown: new DataLoader<MarkdownKey, MarkdownAnswer | null, string>(
      async (keys) => {
        const withText = new Set(keys.filter((k) => k.text).map((k) => k.id))
        const versionOnly = [...new Set(keys.filter((k) => !withText.has(k.id)).map((k) => k.id))]
        const [sources, versions] = await Promise.all([loadMarkdownSources(ctx.db, userId, [...withText]), loadMarkdownVersions(ctx.db, userId, versionOnly)])
        const sourceById = new Map(sources.map((s) => [s.notebook.id, s]))
        return keys.map((k) => {
          const source = sourceById.get(k.id)
          if (source) return { version: source.version, source }
          const version = versions.get(k.id)
          return version ? { version } : null
        })
      },
      BATCH_ONLY,
    ),
    folders: () => folders.load('all'),
  }
  loadersByContext.set(ctx, loaders)
  return loaders
}

builder.objectFields(NotebookRef, (t) => ({
  markdown: t.string({
    description:
      'The notebook as Markdown: YAML frontmatter (title, uuid, folder, tags, pages, modified, rmirror link), then `## Page N` per page ' +
      'with its text (checkbox lines as `- [ ]` / `- [x]`) and its highlights as block quotes. The same text as markdownUrl and the exports.',
    resolve: async (nb, _a, ctx) => {
      const answer = await markdownLoadersFor(ctx).markdown.load({ id: nb.id, text: true })
      if (!answer?.source) throw new NotFoundError('No such notebook')
      return renderNotebookMarkdown(answer.source, { publicUrl: ctx.config.publicUrl })
    },
  }),
  markdownVersion: t.string({
    description:
      'Changes whenever `markdown` does: a hash of everything the Markdown is made of (name, folder, tags, last modified, page texts in ' +
      'order, highlights), computed without rendering it, so it stays when only what the Markdown does not show changes (opening, ' +
      'pinning). Asked together with `markdown` it is the version of that very text. Clients that mirror the library keep it to fetch only what changed.',
    resolve: async (nb, _a, ctx) => {
      // Text is loaded too only when this request also asks for it (same key as `markdown` then).
      const answer = await markdownLoadersFor(ctx).markdown.load({ id: nb.id, text: false })
      if (!answer) throw new NotFoundError('No such notebook')
      return answer.version
    },
  }),
  markdownPath: t.string({
    description:
      'Where the notebook\'s file goes in an export or a vault: its folders and name made safe for every file system and for Obsidian links ' +
      '(e.g. `Work/Projects/Q3 plans.md`). Two notebooks can share one; exports then add the start of the uuid to the later one.',
    resolve: async (nb, _a, ctx) => (await markdownLoadersFor(ctx).folders()).pathOf(nb),
  }),
  markdownUrl: t.string({
    description: `The notebook as a .md file download: a signed path on this server, valid for about ${MARKDOWN_URL_TTL_SECONDS / 60} minutes, needing no Authorization header.`,
    resolve: (nb, _a, ctx) => ctx.services.signer.sign(makeNotebookMarkdownTarget(nb.id, nb.userId), { ttlSeconds: MARKDOWN_URL_TTL_SECONDS }),
  }),
}))

interface LibraryExport {
  url: string
  fileName: string
  folderUuid: string | null
}

const LibraryExportRef = builder.objectRef<LibraryExport>('LibraryExport').implement({
  description: 'A signed download of Markdown files as a .zip, folders as folders.',
  fields: (t) => ({
    url: t.exposeString('url', { description: `A signed path on this server, valid for about ${MARKDOWN_URL_TTL_SECONDS / 60} minutes (checked when the download starts).` }),
    fileName: t.exposeString('fileName'),
    folderUuid: t.exposeString('folderUuid', { nullable: true }),
  }),
})

builder.objectField(ViewerRef, 'libraryExportUrl', (t) =>
  t.field({
    type: LibraryExportRef,
    description: 'Every notebook in a folder (at any depth), or in the whole library, as Markdown files in a .zip that is streamed as it is made.',
    args: { folderUuid: t.arg.string({ description: "A folder's uuid; omitted or null: the whole library." }) },
    errors: { types: [NotFoundError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'LibraryExportUrlResult' } },
    resolve: async (user, { folderUuid }, ctx) => {
      let name = 'reMarkable'
      if (folderUuid) {
        const tree = await markdownLoadersFor(ctx).folders()
        if (!tree.has(folderUuid)) throw new NotFoundError('No such folder')
        name = makeSafeName(tree.namesTo(folderUuid).at(-1)!)
      }
      return {
        url: ctx.services.signer.sign(makeLibraryExportTarget(user.id, folderUuid), { ttlSeconds: MARKDOWN_URL_TTL_SECONDS }),
        fileName: `${name}.zip`,
        folderUuid: folderUuid ?? null,
      }
    },
  }),
)
