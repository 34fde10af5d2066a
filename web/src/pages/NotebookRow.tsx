// One notebook in the list: name, pages, todos open/done, when it changed, its sync badge per target.
import { getFragmentData, graphql, type FragmentType } from '../gql/index.ts'
import { Link } from '../lib/router.tsx'
import { RelativeTime } from '../components/RelativeTime.tsx'
import { NotebookSyncBadges } from '../components/sync/NotebookSyncBadge.tsx'
import styles from './NotebooksPage.module.css'

export const NotebookRowFragment = graphql(`
  fragment NotebookRow_Notebook on Notebook {
    id visibleName folderPath type lastModified updatedAt deleted pageCount
    todoCounts { open done }
    ...NotebookSyncBadge_Notebook
  }
`)

const TYPE_LABEL: Record<string, string> = { NOTEBOOK: 'Notebook', PDF: 'PDF', EPUB: 'EPUB', FOLDER: 'Folder' }

export function notebookHref(id: string) {
  return `/dashboard/notebooks/${encodeURIComponent(id)}`
}

export function NotebookRow(props: { notebook: FragmentType<typeof NotebookRowFragment> }) {
  const nb = getFragmentData(NotebookRowFragment, props.notebook)
  const changed = nb.lastModified ?? nb.updatedAt
  const { open, done } = nb.todoCounts
  return (
    <li className={styles.row} data-testid="notebook-row">
      <div className={styles.rowIcon} aria-hidden="true" data-type={nb.type}>
        {nb.type === 'NOTEBOOK' ? (
          <svg viewBox="0 0 20 20"><rect x="4" y="2.5" width="12" height="15" rx="2" fill="none" stroke="currentColor" strokeWidth="1.5" /><path d="M7 7h6M7 10h6M7 13h3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" /></svg>
        ) : (
          <span>{TYPE_LABEL[nb.type]}</span>
        )}
      </div>
      <div className={styles.rowMain}>
        <Link to={notebookHref(nb.id)} className={styles.rowName}>
          {nb.visibleName}
        </Link>
        <p className={styles.rowMeta}>
          <span>{nb.pageCount} {nb.pageCount === 1 ? 'page' : 'pages'}</span>
          {open + done > 0 && (
            <span>
              {open} open · {done} done {open + done === 1 ? 'todo' : 'todos'}
            </span>
          )}
          <span>
            Edited <RelativeTime iso={changed} />
          </span>
        </p>
      </div>
      <div className={styles.rowBadges}>
        <NotebookSyncBadges notebook={nb} />
      </div>
    </li>
  )
}
