// /dashboard/notebooks/:id — the todos at the top, then every page in order. Everything on it moves
// live: pages, todos and highlights arrive as events for this notebook, with their sync records.
import { useEffect } from 'react'
import { useClient, useQuery, useSubscription } from 'urql'
import { graphql } from '../../gql/index.ts'
import { Link, useLocation, useParams } from '../../lib/router.tsx'
import { useRefetchOnReconnect } from '../../lib/liveConnection.ts'
import { describeRequestError } from '../../lib/errors.ts'
import { RelativeTime } from '../../components/RelativeTime.tsx'
import { NotebookSyncBadges } from '../../components/sync/NotebookSyncBadge.tsx'
import { DownloadButton } from '../../components/DownloadButton.tsx'
import { TodosSection } from './TodosSection.tsx'
import { PageCard } from './PageCard.tsx'
import styles from './NotebookPage.module.css'

const NotebookQuery = graphql(`
  query NotebookPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Notebook {
        uuid visibleName folderPath type tags lastModified updatedAt deleted pageCount
        ...NotebookSyncBadge_Notebook
        todos(first: 300) { edges { node { id ...TodoRow_Todo } } }
        pages(first: 300) { totalCount edges { node { id syncRecords { id status } ...PageCard_Page } } }
      }
    }
    viewer { id ocrUsage { resetsAt provider } }
  }
`)

// Signed for a few minutes: asked for when Download is pressed.
const MarkdownUrl = graphql(`
  query NotebookMarkdownUrl($id: ID!) { node(id: $id) { __typename id ... on Notebook { markdownUrl } } }
`)

const PageChanged = graphql(`
  subscription NotebookPageChanged($id: ID) { pageUpdated(notebookId: $id) { id ...PageCard_Page notebook { id pageCount } } }
`)
const TodoChanged = graphql(`
  subscription NotebookTodoChanged($id: ID) { todoUpdated(notebookId: $id) { id ...TodoRow_Todo notebook { id todoCounts { open done } } } }
`)
const HighlightChanged = graphql(`
  subscription NotebookHighlightChanged($id: ID) { highlightUpdated(notebookId: $id) { id ...HighlightItem_Highlight page { id } } }
`)
// A page's, todo's or highlight's event carries its current sync records; the notebook's carries its badge.
const NotebookChanged = graphql(`
  subscription NotebookChanged($id: ID) {
    notebookUpdated(notebookId: $id) { id visibleName folderPath tags lastModified updatedAt deleted pageCount ...NotebookSyncBadge_Notebook }
  }
`)

export function NotebookPage() {
  const { id } = useParams()
  const { hash, search } = useLocation()
  // From a search hit: ?hit=<item id>#page-N marks the hit and its page card.
  const hitId = search.get('hit')
  const hitPage = hitId ? Number(/^#page-(\d+)$/.exec(hash)?.[1] ?? NaN) : NaN
  const client = useClient()
  const [{ data, error, fetching }, refetch] = useQuery({ query: NotebookQuery, variables: { id } })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  const notebook = data?.node?.__typename === 'Notebook' ? data.node : null
  useSubscription({ query: PageChanged, variables: { id } })
  useSubscription({ query: TodoChanged, variables: { id } })
  useSubscription({ query: HighlightChanged, variables: { id } })
  useSubscription({ query: NotebookChanged, variables: { id } })

  // A link to #page-N (from a todo, or pasted) scrolls to that card once the pages are there.
  const pagesLoaded = !!notebook
  useEffect(() => {
    if (!pagesLoaded || !hash) return
    const el = document.getElementById(hash.slice(1))
    if (el) {
      el.scrollIntoView({ behavior: 'smooth', block: 'start' })
      el.focus({ preventScroll: true })
    }
  }, [hash, pagesLoaded])

  if (error && !data) return <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>
  if (!data && fetching) return <NotebookSkeleton />
  if (!notebook) {
    return (
      <div className={`card card-pad ${styles.missing}`}>
        <h1>Notebook not found</h1>
        <p className="muted">It may have been deleted on the tablet, or the link is not for this account.</p>
        <Link to="/dashboard" className="btn">Back to notebooks</Link>
      </div>
    )
  }

  const pages = notebook.pages.edges.map((e) => e.node)
  const failedPages = pages.filter((p) => p.syncRecords.some((r) => r.status === 'failed')).length
  const changed = notebook.lastModified ?? notebook.updatedAt
  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link to="/dashboard">Notebooks</Link>
        {notebook.folderPath && notebook.folderPath.split(' / ').map((part, i) => <span key={i}>{part}</span>)}
      </nav>
      <header className={styles.head}>
        <h1>{notebook.visibleName}</h1>
        <div className={styles.headMeta}>
          <span>{notebook.pageCount} {notebook.pageCount === 1 ? 'page' : 'pages'}</span>
          <span>Edited <RelativeTime iso={changed} /></span>
          {notebook.tags.map((t) => <span key={t} className="badge">#{t}</span>)}
          <NotebookSyncBadges notebook={notebook} />
          <DownloadButton
            label="Download"
            ariaLabel="Download as Markdown"
            testId="download-markdown"
            fetchUrl={async () => {
              const r = await client.query(MarkdownUrl, { id: notebook.id }, { requestPolicy: 'network-only' }).toPromise()
              return { url: r.data?.node?.__typename === 'Notebook' ? r.data.node.markdownUrl : null, error: r.error }
            }}
          />
        </div>
        {notebook.deleted && <p className="notice notice-info">This notebook was deleted on the tablet. Its pages stay here until every target has been cleaned up.</p>}
      </header>

      <TodosSection notebookId={notebook.id} todos={notebook.todos.edges.map((e) => e.node)} failedElsewhere={failedPages} hitId={hitId} />

      <section className={styles.pages} aria-label="Pages">
        {pages.length === 0 ? (
          <p className={`card card-pad ${styles.todosEmpty}`}>No pages uploaded yet. They appear here as the agent sends them.</p>
        ) : (
          pages.map((p) => <PageCard key={p.id} page={p} quotaResetsAt={data?.viewer?.ocrUsage.resetsAt} ocrProvider={data?.viewer?.ocrUsage.provider} hitId={hitId} hitPage={hitPage} />)
        )}
        {notebook.pages.totalCount > pages.length && <p className="muted small">Showing the first {pages.length} of {notebook.pages.totalCount} pages.</p>}
      </section>
    </div>
  )
}

function NotebookSkeleton() {
  return (
    <div className={styles.page} aria-busy="true" aria-label="Loading the notebook">
      <div className="skeleton" style={{ height: 14, width: 120 }} />
      <div className="skeleton" style={{ height: 32, width: '45%' }} />
      <div className="skeleton" style={{ height: 64 }} />
      <div className="skeleton" style={{ height: 220 }} />
    </div>
  )
}
