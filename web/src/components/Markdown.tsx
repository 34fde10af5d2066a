// Renders a page's Markdown: the subset the service writes (headings, nested `- ` bullets and
// `- [ ]`/`- [x]` checkboxes, quotes, code fences, **bold** / *italic* / `code`, paragraphs).
// It builds React elements, never HTML strings, so page text cannot inject markup.
import type { ReactNode } from 'react'
import styles from './Markdown.module.css'

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'item'; depth: number; text: string; check: boolean | null; ordered: boolean }
  | { kind: 'quote'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'paragraph'; text: string }

function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (/^\s*```/.test(line)) {
      const code: string[] = []
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i])
      blocks.push({ kind: 'code', text: code.join('\n') })
      continue
    }
    if (!line.trim()) continue
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] })
      continue
    }
    const item = /^(\s*)([-*+]|\d+[.)])\s+(?:\[([ xX])\]\s+)?(.*)$/.exec(line)
    if (item) {
      blocks.push({ kind: 'item', depth: Math.floor(item[1].replace(/\t/g, '  ').length / 2), text: item[4], check: item[3] === undefined ? null : item[3] !== ' ', ordered: /\d/.test(item[2]) })
      continue
    }
    const quote = /^>\s?(.*)$/.exec(line)
    if (quote) {
      blocks.push({ kind: 'quote', text: quote[1] })
      continue
    }
    const last = blocks.at(-1)
    if (last?.kind === 'paragraph' && lines[i - 1]?.trim()) last.text += '\n' + line
    else blocks.push({ kind: 'paragraph', text: line })
  }
  return blocks
}

/** **bold**, *italic* / _italic_, `code`; everything else is text. */
function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = []
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/g
  let at = 0
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push(text.slice(at, m.index))
    const token = m[0]
    const key = out.length
    if (token.startsWith('**')) out.push(<strong key={key}>{token.slice(2, -2)}</strong>)
    else if (token.startsWith('`')) out.push(<code key={key}>{token.slice(1, -1)}</code>)
    else out.push(<em key={key}>{token.slice(1, -1)}</em>)
    at = m.index + token.length
  }
  if (at < text.length) out.push(text.slice(at))
  return out
}

export function Markdown({ source }: { source: string }) {
  const blocks = parseBlocks(source)
  return (
    <div className={styles.markdown}>
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const Tag = (b.level <= 2 ? 'h4' : 'h5') as 'h4' | 'h5'
            return <Tag key={i}>{renderInline(b.text)}</Tag>
          }
          case 'item':
            return (
              <div key={i} className={styles.item} style={{ paddingInlineStart: `${b.depth * 1.25}rem` }} data-check={b.check === null ? undefined : String(b.check)}>
                <span className={styles.marker} aria-hidden="true">
                  {b.check === null ? (b.ordered ? '•' : '•') : b.check ? '☑' : '☐'}
                </span>
                <span>
                  {b.check !== null && <span className="visually-hidden">{b.check ? 'Done: ' : 'Open: '}</span>}
                  {renderInline(b.text)}
                </span>
              </div>
            )
          case 'quote':
            return <blockquote key={i}>{renderInline(b.text)}</blockquote>
          case 'code':
            return <pre key={i}><code>{b.text}</code></pre>
          default:
            return <p key={i}>{renderInline(b.text)}</p>
        }
      })}
    </div>
  )
}
