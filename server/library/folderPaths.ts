// Folder paths: folder names from the root joined by " / " ("Work / Projects"); "" at the root.
export interface FolderNode {
  uuid: string
  visibleName: string
  parentUuid: string | null
  type: string
}

/** The folder path of every item, from the user's whole library (cycles and missing parents stop the walk). */
export function computeFolderPaths(items: readonly FolderNode[]): Map<string, string> {
  const folders = new Map(items.filter((i) => i.type === 'FOLDER').map((f) => [f.uuid, f]))
  const folderPathOfFolder = new Map<string, string[]>()
  const namesTo = (folderUuid: string | null): string[] => {
    const names: string[] = []
    const seen = new Set<string>()
    let current = folderUuid ? folders.get(folderUuid) : undefined
    while (current && !seen.has(current.uuid)) {
      const cached = folderPathOfFolder.get(current.uuid)
      if (cached) {
        names.unshift(...cached)
        break
      }
      seen.add(current.uuid)
      names.unshift(current.visibleName)
      current = current.parentUuid ? folders.get(current.parentUuid) : undefined
    }
    return names
  }
  const paths = new Map<string, string>()
  for (const item of items) {
    const names = namesTo(item.parentUuid)
    if (item.type === 'FOLDER') folderPathOfFolder.set(item.uuid, [...names, item.visibleName])
    paths.set(item.uuid, names.join(' / '))
  }
  return paths
}
