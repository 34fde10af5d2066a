// /dashboard: every notebook, grouped by folder, searchable by name, sorted by last change or name.
// Live: new notebooks, page and todo counts and sync badges change as events arrive (notebookUpdated
// fires for a rename and for any sync status change inside the notebook).
import { useEffect, useMemo, useState } from 'react'
import { useClient, useQuery, useSubscription } from 'urql'
import { getFragmentData, graphql } from '../gql/index.ts'
import { useRefetchOnReconnect } from '../lib/liveConnection.ts'
import { describeRequestError } from '../lib/errors.ts'
import { NotebookRow, NotebookRowFragment } from './NotebookRow.tsx'
import { GettingStarted } from './GettingStarted.tsx'
import { DownloadButton } from '../components/DownloadButton.tsx'
import styles from './NotebooksPage.module.css'

const NotebooksQuery = graphql(`
  query Notebooks($search: String) {
    viewer {
      id
      apiTokens { id revokedAt }
      integrations { id target enabled }
      folders { id uuid visibleName folderPath }
      notebooks(first: 500, search: $search) {
        totalCount
        edges { node { id ...NotebookRow_Notebook } }
      }
    }
  }
`)

const NotebookChanged = graphql(`
  subscription NotebooksNotebookChanged { notebookUpdated { id type deleted ...NotebookRow_Notebook } }
`)
const PageChanged = graphql(`
  subscription NotebooksPageChanged { pageUpdated { id notebook { id pageCount } } }
`)
const TodoChanged = graphql(`
  subscription NotebooksTodoChanged { todoUpdated { id completed removedAt notebook { id todoCounts { open done } } } }
`)

type Sort = 'modified' | 'name'

// A signed .zip of Markdown files (the library, or one folder), asked for when the button is pressed.
const LibraryExportUrl = graphql(`
  query LibraryExportUrl($folderUuid: String) {
    viewer { id libraryExportUrl(folderUuid: $folderUuid) { __typename ... on LibraryExport { url fileName } ... on Error { code message } } }
  }
`)

export function NotebooksPage() {
  const [search, setSearch] = useState('')
  const [sort, setSort] = useState<Sort>('modified')
  const deferredSearch = useDebounced(search.trim(), 200)
  const [{ data, fetching, error }, refetch] = useQuery({ query: NotebooksQuery, variables: { search: deferredSearch || null } })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  useSubscription({ query: NotebookChanged })
  useSubscription({ query: PageChanged })
  useSubscription({ query: TodoChanged })

  const viewer = data?.viewer
  const client = useClient()
  const folderUuids = useMemo(() => new Map((viewer?.folders ?? []).map((f) => [f.folderPath ? `${f.folderPath} / ${f.visibleName}` : f.visibleName, f.uuid])), [viewer])
  const exportZip = async (folderUuid: string | null) => {
    const r = await client.query(LibraryExportUrl, { folderUuid }, { requestPolicy: 'network-only' }).toPromise()
    const result = r.data?.viewer?.libraryExportUrl
    return result?.__typename === 'LibraryExport' ? { url: result.url } : { url: null, error: result && 'message' in result ? result.message : r.error }
  }
  const groups = useMemo(() => {
    const notebooks = (viewer?.notebooks.edges ?? []).map((e) => ({ ref: e.node, nb: getFragmentData(NotebookRowFragment, e.node) })).filter((n) => !n.nb.deleted)
    const changed = (n: (typeof notebooks)[number]) => n.nb.lastModified ?? n.nb.updatedAt
    notebooks.sort((a, b) => (sort === 'name' ? a.nb.visibleName.localeCompare(b.nb.visibleName) : changed(b).localeCompare(changed(a))))
    const byFolder = new Map<string, typeof notebooks>()
    for (const n of notebooks) byFolder.set(n.nb.folderPath, [...(byFolder.get(n.nb.folderPath) ?? []), n])
    const list = [...byFolder.entries()]
    if (sort === 'name') list.sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
    return list
  }, [viewer, sort])

  const total = groups.reduce((n, [, items]) => n + items.length, 0)
  const libraryEmpty = viewer && total === 0 && !deferredSearch

  return (
    <div className={styles.page}>
      <div className={styles.head}>
        <div>
          <h1>Notebooks</h1>
          <p className={styles.sub}>
            {viewer ? (libraryEmpty ? 'Nothing uploaded yet.' : `${viewer.notebooks.totalCount} ${deferredSearch ? 'matching' : 'in your library'}`) : ' '}
          </p>
        </div>
        {!libraryEmpty && (
          <div className={styles.controls} role="search">
            <label className="visually-hidden" htmlFor="notebook-search">Search notebooks by name</label>
            <input id="notebook-search" className={`input ${styles.search}`} type="search" placeholder="Search by name" value={search} onChange={(e) => setSearch(e.target.value)} />
            <label className="visually-hidden" htmlFor="notebook-sort">Sort by</label>
            <select id="notebook-sort" className={`input ${styles.sort}`} value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              <option value="modified">Last modified</option>
              <option value="name">Name</option>
            </select>
            <DownloadButton label="Markdown .zip" ariaLabel="Download the whole library as Markdown (.zip)" className="btn" testId="download-library" fetchUrl={() => exportZip(null)} />
          </div>
        )}
      </div>

      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {!viewer && fetching && <ListSkeleton />}
      {libraryEmpty && <GettingStarted hasToken={viewer.apiTokens.some((t) => !t.revokedAt)} hasIntegration={viewer.integrations.length > 0} />}
      {viewer && total === 0 && deferredSearch && (
        <div className={`card card-pad ${styles.noMatch}`}>
          <p>No notebook name contains “{deferredSearch}”.</p>
          <button className="btn btn-sm" onClick={() => setSearch('')}>Clear search</button>
        </div>
      )}
      {groups.map(([folder, items]) => (
        <section key={folder || '(root)'} className={styles.group} aria-label={folder ? `Folder ${folder}` : 'Not in a folder'}>
          <h2 className={styles.folder}>
            <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M2.5 5.5a1.5 1.5 0 0 1 1.5-1.5h3.6l1.8 2h6.6a1.5 1.5 0 0 1 1.5 1.5v7a1.5 1.5 0 0 1-1.5 1.5H4a1.5 1.5 0 0 1-1.5-1.5z" fill="none" stroke="currentColor" strokeWidth="1.4" /></svg>
            {folder ? folder.split(' / ').map((part, i) => (
              <span key={i} className={styles.crumb}>{part}</span>
            )) : <span className={styles.crumb}>Top level</span>}
            {folder && folderUuids.has(folder) && (
              <span className={styles.folderDownload}>
                <DownloadButton label=".zip" ariaLabel={`Download folder ${folder} as Markdown (.zip)`} className="btn btn-sm btn-quiet" fetchUrl={() => exportZip(folderUuids.get(folder)!)} />
              </span>
            )}
          </h2>
          <ul className={`card ${styles.list}`}>
            {items.map((n) => (
              <NotebookRow key={n.nb.id} notebook={n.ref} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  )
}

function ListSkeleton() {
  return (
    <div className={`card ${styles.list}`} aria-busy="true" aria-label="Loading notebooks">
      {[0, 1, 2].map((i) => (
        <div key={i} className={styles.row}>
          <div className={`skeleton ${styles.rowIcon}`} />
          <div className={styles.rowMain}>
            <div className="skeleton" style={{ height: 14, width: '40%' }} />
            <div className="skeleton" style={{ height: 12, width: '60%', marginTop: 8 }} />
          </div>
        </div>
      ))}
    </div>
  )
}

/** `value`, once it has stopped changing for `ms` (one search per pause in typing, not per key). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms)
    return () => window.clearTimeout(timer)
  }, [value, ms])
  return settled
}
