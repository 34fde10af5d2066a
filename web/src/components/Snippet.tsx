// A search snippet: plain text with the matched words emphasised. The text is rendered as text (React
// escapes it) and the marks come from the API's ranges, never from markup in the text.
import styles from './Snippet.module.css'

export interface SnippetData {
  text: string
  matches: readonly { start: number; length: number }[]
}

/** The text cut at the match ranges (UTF-16 offsets, as JavaScript strings count). */
export function splitSnippet(snippet: SnippetData): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = []
  let at = 0
  for (const m of [...snippet.matches].sort((a, b) => a.start - b.start)) {
    const start = Math.max(m.start, at)
    const end = Math.min(m.start + m.length, snippet.text.length)
    if (end <= start) continue
    if (start > at) parts.push({ text: snippet.text.slice(at, start), match: false })
    parts.push({ text: snippet.text.slice(start, end), match: true })
    at = end
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), match: false })
  return parts
}

export function Snippet({ snippet, className }: { snippet: SnippetData; className?: string }) {
  return (
    <span className={`${styles.snippet} ${className ?? ''}`} data-testid="snippet">
      {splitSnippet(snippet).map((p, i) => (p.match ? <mark key={i} className={styles.mark}>{p.text}</mark> : p.text))}
    </span>
  )
}
