// A user's folders, read once, for file paths (each folder name a path segment, so a name holding
// " / " stays one folder) and for exporting one folder with everything below it.
import type { DbTx } from '../db.ts'
import { makeMarkdownPath } from './fileNames.ts'

export interface FolderTree {
  /** Folder names from the root down to `folderUuid` (included); [] for the root. */
  namesTo(folderUuid: string | null): string[]
  /** The folder and every folder below it. */
  folderAndDescendants(folderUuid: string): Set<string>
  has(folderUuid: string): boolean
  /** Where a notebook's Markdown file goes (fileNames.ts). */
  pathOf(notebook: { parentUuid: string | null; visibleName: string }): string
}

export async function loadFolderTree(db: DbTx, userId: number): Promise<FolderTree> {
  const folders = await db.notebook.findMany({ where: { userId, type: 'FOLDER', deleted: false }, select: { uuid: true, visibleName: true, parentUuid: true } })
  return makeFolderTree(folders)
}

export function makeFolderTree(folders: readonly { uuid: string; visibleName: string; parentUuid: string | null }[]): FolderTree {
  const byUuid = new Map(folders.map((f) => [f.uuid, f]))
  const children = new Map<string, string[]>()
  for (const f of folders) if (f.parentUuid) children.set(f.parentUuid, [...(children.get(f.parentUuid) ?? []), f.uuid])
  const namesTo = (folderUuid: string | null): string[] => {
    const names: string[] = []
    const seen = new Set<string>()
    // A cycle or a missing parent ends the walk, as for folder paths (server/library/folderPaths.ts).
    for (let f = folderUuid ? byUuid.get(folderUuid) : undefined; f && !seen.has(f.uuid); f = f.parentUuid ? byUuid.get(f.parentUuid) : undefined) {
      seen.add(f.uuid)
      names.unshift(f.visibleName)
    }
    return names
  }
  return {
    namesTo,
    has: (uuid) => byUuid.has(uuid),
    folderAndDescendants(folderUuid) {
      const found = new Set<string>()
      const stack = [folderUuid]
      while (stack.length) {
        const uuid = stack.pop()!
        if (found.has(uuid)) continue
        found.add(uuid)
        stack.push(...(children.get(uuid) ?? []))
      }
      return found
    },
    pathOf: (notebook) => makeMarkdownPath(namesTo(notebook.parentUuid), notebook.visibleName),
  }
}
