// "Show more" under a list of search hits: the first page comes from the component's live query,
// later pages are read on demand with the last cursor and kept until the search changes.
import { useEffect, useState } from 'react'
import { useClient, type AnyVariables, type TypedDocumentNode } from 'urql'
import { describeRequestError, readTypedError, type TypedError } from '../../lib/errors.ts'

interface Connection<E> {
  __typename: 'SearchConnection'
  edges: E[]
  pageInfo: { hasNextPage: boolean; endCursor?: string | null }
}
type Data<E> = { viewer?: { search: Connection<E> | TypedError } | null }

interface More<E> {
  key: string
  edges: E[]
  endCursor: string | null
  hasNextPage: boolean
  loading: boolean
  error: string | null
}

export function useMoreHits<E, V extends AnyVariables>(document: TypedDocumentNode<Data<E> & object, V>, variables: V, first: Connection<E> | null) {
  const client = useClient()
  const key = JSON.stringify(variables)
  const [more, setMore] = useState<More<E> | null>(null)
  useEffect(() => setMore(null), [key])
  const extra = more?.key === key ? more : null
  const edges = [...(first?.edges ?? []), ...(extra?.edges ?? [])]
  const hasNextPage = extra ? extra.hasNextPage : first?.pageInfo.hasNextPage ?? false
  const endCursor = extra ? extra.endCursor : first?.pageInfo.endCursor ?? null

  async function showMore() {
    if (!endCursor) return
    setMore({ key, edges: extra?.edges ?? [], endCursor, hasNextPage, loading: true, error: null })
    const r = await client.query(document, { ...variables, after: endCursor }, { requestPolicy: 'network-only' }).toPromise()
    const next = r.data?.viewer?.search
    setMore((m) => {
      if (!m || m.key !== key) return m
      if (!next || next.__typename !== 'SearchConnection') return { ...m, loading: false, error: readTypedError(next as TypedError | undefined)?.message ?? describeRequestError(r.error) ?? 'Something went wrong on our side. Try again in a moment.' }
      const page = next as Connection<E>
      return { key, edges: [...m.edges, ...page.edges], endCursor: page.pageInfo.endCursor ?? null, hasNextPage: page.pageInfo.hasNextPage, loading: false, error: null }
    })
  }

  return { edges, hasNextPage, showMore, loading: extra?.loading ?? false, error: extra?.error ?? null }
}
