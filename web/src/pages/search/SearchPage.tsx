// /dashboard/search?q=…&kinds=… — every page, todo and highlight matching the query (the header's
// box types it), grouped by notebook in the order of each notebook's best hit; the kinds filter
// narrows them; "Show more" reads the next hits.
import { useMemo, useRef } from 'react'
import { useQuery } from 'urql'
import { getFragmentData, graphql } from '../../gql/index.ts'
import { Link, navigate, useLocation } from '../../lib/router.tsx'
import { describeRequestError, readTypedError } from '../../lib/errors.ts'
import { useMoreHits } from './useMoreHits.ts'
import { groupByNotebook } from './groupByNotebook.ts'
import { SearchHitFragment, SearchHitRow } from './SearchHitRow.tsx'
import { OPEN_TODOS_PATH, readKinds, SEARCH_KIND_NAMES, searchUrl, type SearchKindName } from './searchUrls.ts'
import styles from './Search.module.css'

const PAGE_SIZE = 30

const SearchPageQueryDoc = graphql(`
  query SearchPage($query: String, $first: Int, $after: String, $filter: SearchFilter) {
    viewer {
      id
      search(query: $query, first: $first, after: $after, filter: $filter) {
        __typename
        ... on SearchConnection {
          pageInfo { hasNextPage endCursor }
          edges { cursor node { notebook { id } ...SearchHit_Hit } }
        }
        ... on Error { message code }
      }
    }
  }
`)


const KIND_LABELS: Record<SearchKindName, string> = { PAGE: 'Pages', TODO: 'Todos', HIGHLIGHT: 'Highlights' }

export function SearchPage() {
  const { search } = useLocation()
  const query = (search.get('q') ?? '').trim()
  const kinds = readKinds(search)
  const kindsKey = kinds.join(',')
  const variables = useMemo(() => ({ query, first: PAGE_SIZE, filter: kindsKey ? { kinds: kindsKey.split(',') as SearchKindName[] } : null }), [query, kindsKey])
  const [{ data, error, fetching }] = useQuery({ query: SearchPageQueryDoc, variables, pause: !query })

  // While the next query's results are on their way, the last ones stay (dimmed) instead of a blank.
  const last = useRef<typeof data>(undefined)
  if (data) last.current = data
  const shown = query ? data ?? last.current : undefined
  const stale = !data && fetching

  const result = shown?.viewer?.search
  const connection = result?.__typename === 'SearchConnection' ? result : null
  const typedError = readTypedError(result && result.__typename !== 'SearchConnection' ? result : null)
  const { edges, hasNextPage, showMore, loading: loadingMore, error: moreError } = useMoreHits(SearchPageQueryDoc, variables, connection)

  const groups = useMemo(() => groupByNotebook(edges), [edges])

  function toggleKind(kind: SearchKindName) {
    const selected = kinds.length ? kinds : []
    const next = selected.includes(kind) ? selected.filter((k) => k !== kind) : [...selected, kind]
    navigate(searchUrl(query, SEARCH_KIND_NAMES.filter((k) => next.includes(k))), { replace: true })
  }

  const count = edges.length
  return (
    <div className={styles.page}>
      <header className={styles.head}>
        <div>
          <h1>{query ? <>Results for “{query}”</> : 'Search'}</h1>
          <p className={styles.sub} aria-live="polite">
            {!query ? 'Pages, todos and highlights from every notebook.' : stale ? 'Searching…' : connection ? (count === 0 ? '' : `${count}${hasNextPage ? '+' : ''} ${count === 1 ? 'hit' : 'hits'} in ${groups.length} ${groups.length === 1 ? 'notebook' : 'notebooks'}`) : ''}
          </p>
        </div>
        <div className={styles.kinds} role="group" aria-label="Show">
          {SEARCH_KIND_NAMES.map((k) => (
            <button key={k} type="button" className={styles.kindToggle} aria-pressed={kinds.includes(k)} onClick={() => toggleKind(k)}>
              {KIND_LABELS[k]}
            </button>
          ))}
        </div>
      </header>

      {!query && <SearchTips />}
      {query && error && !shown && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {typedError && <p className="notice notice-error" role="alert">{typedError.message}</p>}
      {query && !shown && fetching && <ResultsSkeleton />}
      {connection && count === 0 && !stale && (
        <div className="card card-pad">
          <p>Nothing found for “{query}”{kinds.length ? ` in ${kinds.map((k) => KIND_LABELS[k].toLowerCase()).join(' and ')}` : ''}.</p>
          <p className="muted small">Similar spellings are tried too; try fewer words, a prefix such as <code>invoic*</code>, or another kind.</p>
        </div>
      )}

      <div className={styles.groups} data-stale={stale} aria-busy={stale}>
        {groups.map((group) => {
          const notebook = getFragmentData(SearchHitFragment, group[0].node).notebook
          return (
            <section key={notebook.id} className={styles.group} aria-label={notebook.visibleName} data-testid="search-group">
              <h2 className={styles.groupHead}>
                <Link to={`/dashboard/notebooks/${encodeURIComponent(notebook.id)}`}>{notebook.visibleName}</Link>
                {notebook.folderPath && <span className={styles.folder}>{notebook.folderPath}</span>}
              </h2>
              <ul className={`card ${styles.hits}`}>
                {group.map((e) => <SearchHitRow key={e.cursor} hit={e.node} />)}
              </ul>
            </section>
          )
        })}
      </div>
      {hasNextPage && (
        <div className={styles.more}>
          <button type="button" className="btn" disabled={loadingMore} onClick={() => void showMore()}>{loadingMore ? 'Loading…' : 'Show more'}</button>
          {moreError && <p className="field-error" role="alert">{moreError}</p>}
        </div>
      )}
    </div>
  )
}

function SearchTips() {
  return (
    <div className={`card card-pad ${styles.tips}`}>
      <p>Type in the search box above (press <kbd>/</kbd> or <kbd>Ctrl</kbd>&nbsp;<kbd>K</kbd> from any page).</p>
      <ul className="small muted">
        <li><code>"feedback loop"</code> finds the words side by side</li>
        <li><code>invoic*</code> finds words starting so</li>
        <li><code>-draft</code> leaves out what contains a word; <code>budget or costs</code> takes either</li>
        <li>Handwriting read slightly wrong is found too: <code>invoce</code> finds “invoice”</li>
      </ul>
      <p className="small"><Link to={OPEN_TODOS_PATH}>Everything you still have to do →</Link></p>
    </div>
  )
}

function ResultsSkeleton() {
  return (
    <div className={styles.groups} aria-busy="true" aria-label="Searching">
      <div className="skeleton" style={{ height: 16, width: 180 }} />
      <div className="skeleton" style={{ height: 140 }} />
    </div>
  )
}
