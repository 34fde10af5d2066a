// A GraphQL request body for raw fetch: JSON, or a multipart request (GraphQL multipart spec) when a
// variable holds UPLOAD_MARKER, which stands for a file of `fileBytes`.
export const UPLOAD_MARKER = '\u0000upload'

export function makeGraphqlBody(query: string, variables: Record<string, unknown>, fileBytes: Uint8Array): { body: string | FormData; headers: Record<string, string> } {
  const files: string[] = []
  const walk = (v: unknown, path: string): unknown => {
    if (v === UPLOAD_MARKER) return files.push(path), null
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}.${i}`))
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${path}.${k}`)]))
    return v
  }
  const plain = walk(variables, 'variables') as Record<string, unknown>
  if (!files.length) return { body: JSON.stringify({ query, variables: plain }), headers: { 'content-type': 'application/json' } }
  const form = new FormData()
  form.append('operations', JSON.stringify({ query, variables: plain }))
  form.append('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f]]))))
  files.forEach((_, i) => form.append(String(i), new Blob([Uint8Array.from(fileBytes)]), 'page.rm'))
  return { body: form, headers: {} }
}
