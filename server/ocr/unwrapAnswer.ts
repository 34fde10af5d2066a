import { closesFence, readFence, type FenceLine } from './markdownLines.ts'

// What models wrap around a transcript despite being told not to: a leading <think> block
// (reasoning models served without a reasoning parser), a code fence around the whole answer,
// a one-line preface ("Here is the transcription:") and a closing remark. Only removed when the
// shape is unmistakable, so a note that merely contains a code block or starts "Here are my
// notes:" comes through untouched.

/** Info strings that mean "this fence only wraps the answer". Any other language is content. */
const WRAPPER_INFO = new Set(['', 'markdown', 'md', 'text', 'txt', 'plaintext', 'plain'])

/** A line a model says before a fenced answer. Only trusted next to a fence. */
const PREFACE_NEAR_FENCE =
  /^(sure|certainly|okay|ok|of course|absolutely|here|below|the following|this is|i've|i have|transcription|transcript|transcribed|markdown)\b/i

/** A preface with no fence after it must name the act, and end with a colon. */
const PREFACE_ALONE =
  /^((sure|certainly|okay|of course)[,.!]?\s+)?(here|below)\b.{0,100}\b(transcri\w*|markdown|handwrit\w*)\b[^:\n]{0,60}:$|^(transcription|transcript)\s*:$/i

/** A remark after the fenced answer. */
const POSTFACE =
  /^(\(|\*|_)?(let me know|i hope|hope this|note:|notes:|please note|if you|feel free|i've|i have|i could|i was|the (handwriting|transcription|text|image)|some (words|parts))/i

const MAX_COMMENT_CHARS = 240

export function stripThinking(text: string): string {
  return text.replace(/^\s*<think>[\s\S]*?<\/think>\s*/i, '')
}

function nonBlank(lines: string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== '')
}

function areComments(lines: string[], pattern: RegExp, max: number): boolean {
  const kept = nonBlank(lines)
  return kept.length <= max && kept.every((line) => line.length <= MAX_COMMENT_CHARS && pattern.test(line))
}

interface Block {
  open: number
  close: number
  fence: FenceLine
}

/** Top-level fenced blocks; `close` is -1 for a block the answer never closed. */
function findBlocks(lines: string[]): Block[] {
  const blocks: Block[] = []
  for (let at = 0; at < lines.length; at++) {
    const fence = readFence(lines[at])
    if (!fence) continue
    let close = -1
    for (let next = at + 1; next < lines.length; next++) {
      if (closesFence(lines[next], fence)) {
        close = next
        break
      }
    }
    blocks.push({ open: at, close, fence })
    if (close === -1) break
    at = close
  }
  return blocks
}

/** Removes one wrapping fence (with its preface and closing remark); null when there is none. */
function unwrapOnce(lines: string[]): string[] | null {
  const blocks = findBlocks(lines)
  if (blocks.length === 1) {
    const [{ open, close, fence }] = blocks
    if (!WRAPPER_INFO.has(fence.info.toLowerCase())) return null
    const before = lines.slice(0, open)
    if (!areComments(before, PREFACE_NEAR_FENCE, 2)) return null
    if (close === -1) return lines.slice(open + 1) // the answer was cut off before its closing fence
    if (!areComments(lines.slice(close + 1), POSTFACE, 3)) return null
    return lines.slice(open + 1, close)
  }
  return null
}

/** A closing fence left alone on the last line when the model dropped the opening one. */
function dropStrayClosingFence(lines: string[]): string[] {
  const fenceLines = lines.filter((line) => readFence(line) !== null)
  if (fenceLines.length !== 1) return lines
  let last = lines.length - 1
  while (last >= 0 && lines[last].trim() === '') last--
  const fence = last >= 0 ? readFence(lines[last]) : null
  return fence && fence.info === '' && fence.marker[0] === '`' ? lines.slice(0, last) : lines
}

function dropLonePreface(lines: string[]): string[] {
  const first = lines.findIndex((line) => line.trim() !== '')
  if (first === -1) return lines
  const line = lines[first].trim()
  return line.length <= MAX_COMMENT_CHARS && PREFACE_ALONE.test(line) ? lines.slice(first + 1) : lines
}

/** The transcript inside whatever the model wrapped around it. Expects \n line endings. */
export function unwrapAnswer(text: string): string {
  let lines = stripThinking(text).split('\n')
  const unwrapped = unwrapOnce(lines)
  if (unwrapped) {
    // Some models wrap twice (```markdown around ```); one more pass, no further.
    lines = unwrapOnce(unwrapped) ?? unwrapped
  } else {
    lines = dropLonePreface(dropStrayClosingFence(lines))
  }
  return lines.join('\n')
}

const NO_HANDWRITING = [
  /^no handwrit(ing|ten (text|notes?|content|words))( (was )?(found|detected|present|visible))?( (on|in) (this|the) (page|image))?$/,
  /^(the )?(page|image) (is (blank|empty)|contains no handwrit(ing|ten text)|has no handwrit(ing|ten text))$/,
  /^(no (text|content)( (found|detected))?|blank( page)?|empty( page)?|nothing( to transcribe)?|none|n\/a)$/,
]

/** "(no handwriting)", "[Blank page]", "None." and friends: the model's way of saying "nothing". */
export function isNoHandwritingAnswer(text: string): boolean {
  const core = text
    .trim()
    .toLowerCase()
    .replace(/^[\s*_()[\]"'`<>]+|[\s*_()[\]"'`<>.!]+$/g, '')
    .replace(/\s+/g, ' ')
  return core === '' || NO_HANDWRITING.some((pattern) => pattern.test(core))
}
