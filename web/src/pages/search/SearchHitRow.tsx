// One hit: what it is (page, todo, highlight) and where, its snippet with the matched words marked,
// the whole row a link to the page card it is on.
import { getFragmentData, graphql, type FragmentType } from '../../gql/index.ts'
import { Link } from '../../lib/router.tsx'
import { Snippet } from '../../components/Snippet.tsx'
import { hitUrl } from './searchUrls.ts'
import styles from './Search.module.css'

export const SearchHitFragment = graphql(`
  fragment SearchHit_Hit on SearchHit {
    kind rank pageNumber
    snippet { text matches { start length } }
    notebook { id visibleName folderPath }
    item {
      __typename
      ... on Page { id }
      ... on Todo { id completed }
      ... on Highlight { id }
    }
  }
`)

const KIND_WORDS = { PAGE: 'Page', TODO: 'Todo', HIGHLIGHT: 'Highlight' } as const

export function SearchHitRow(props: { hit: FragmentType<typeof SearchHitFragment> }) {
  const hit = getFragmentData(SearchHitFragment, props.hit)
  const where = hit.kind === 'PAGE' ? (hit.pageNumber != null ? `Page ${hit.pageNumber}` : 'Page') : `${KIND_WORDS[hit.kind]}${hit.pageNumber != null ? ` · p. ${hit.pageNumber}` : ''}`
  const done = hit.item.__typename === 'Todo' && hit.item.completed
  return (
    <li className={styles.hit} data-testid="search-hit" data-kind={hit.kind}>
      <span className={styles.kind} data-kind={hit.kind} aria-hidden="true">
        {hit.kind === 'TODO' ? <span className={styles.box} data-checked={done} /> : hit.kind === 'HIGHLIGHT' ? <span className={styles.hl} /> : <span className={styles.pg} />}
      </span>
      <div className={styles.hitMain}>
        <Link to={hitUrl(hit.notebook.id, hit.item.id, hit.pageNumber)} className={styles.hitLink}>
          {where}
          {hit.kind === 'TODO' && <span className="visually-hidden">{done ? ' (done)' : ' (open)'}</span>}
        </Link>
        <p className={styles.hitSnippet} data-done={done}>
          <Snippet snippet={hit.snippet} />
        </p>
      </div>
    </li>
  )
}
