// The generated library of the search benches (bench/search.ts, bench/search-writes.ts): notebooks of
// 100 pages of typed-looking text from a Zipf-distributed vocabulary of ~20,000 words (a few garbled
// as OCR does), checkbox lines as todos, a highlight per page of every tenth notebook (a PDF).
// Deterministic, so two runs write and search the same library.
import type pg from 'pg'

export const PAGES_PER_NOTEBOOK = 100
const PDF_EVERY = 10 // every 10th notebook is a PDF with a highlight per page

// Deterministic randomness, so two runs search the same library.
function makeRandom(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
export const random = makeRandom(23)
export const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]

const COMMON = `the of and to a in is it you that he was for on are with as i his they be at one have this from or had by not word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father`.split(' ')
const SYLLABLES = 'ka lo mi ne ru sa ti vo ber dan fel gor han jin kel lum mor nix pra quo ret sil tor ulm ven wex yor zan bri cas dov eth'.split(' ')

function makeVocabulary(size: number): string[] {
  const words = new Set<string>(COMMON)
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3)
    words.add(Array.from({ length: n }, () => pick(SYLLABLES)).join(''))
  }
  return [...words]
}

/** Zipf(1.05) over the vocabulary: a few words everywhere, most words rare. */
function makeZipf(words: string[]) {
  const cumulative: number[] = []
  let sum = 0
  for (let i = 0; i < words.length; i++) cumulative.push((sum += 1 / (i + 1) ** 1.05))
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] < x) lo = mid + 1
      else hi = mid
    }
    return words[lo]
  }
}

export const vocabulary = makeVocabulary(20_000)
const nextWord = makeZipf(vocabulary)
// A mid-frequency word: found in a few hundred pages.
export const MID_WORD = vocabulary[900]

/** OCR slips: a dropped letter, a doubled one, rn for m, l for i. */
function garble(word: string): string {
  const i = 1 + Math.floor(random() * Math.max(1, word.length - 2))
  switch (Math.floor(random() * 4)) {
    case 0: return word.slice(0, i) + word.slice(i + 1)
    case 1: return word.slice(0, i) + word[i] + word.slice(i)
    case 2: return word.replace('m', 'rn')
    default: return word.replace('i', 'l')
  }
}

export function makeSentence(min: number, max: number): string {
  const n = min + Math.floor(random() * (max - min + 1))
  const words = Array.from({ length: n }, () => (random() < 0.01 ? garble(nextWord()) : nextWord()))
  return words.join(' ')
}

interface GeneratedPage {
  text: string
  todos: { text: string; completed: boolean; removed: boolean }[]
}

export function makePage(): GeneratedPage {
  const lines: string[] = []
  if (random() < 0.3) lines.push(`# ${makeSentence(2, 5)}`)
  const paragraphs = 4 + Math.floor(random() * 8)
  for (let i = 0; i < paragraphs; i++) lines.push(random() < 0.3 ? `- ${makeSentence(4, 12)}` : `${makeSentence(8, 18)}.`)
  // Planted words with known frequencies, for the queries below.
  if (random() < 0.2) lines.push(`Notes from the meeting about ${makeSentence(2, 6)}.`)
  if (random() < 0.05) lines.push(`The budget for ${makeSentence(1, 3)} is tight.`)
  if (random() < 0.005) lines.push(`Send the ${random() < 0.15 ? 'invoce' : 'invoice'} to ${makeSentence(1, 2)} before Friday.`)
  if (random() < 0.003) lines.push(`The feedback loop between ${makeSentence(1, 2)} and support is slow.`)
  if (random() < 0.003) lines.push(`Ask for feedback on ${makeSentence(2, 4)}, then close the loop.`)
  const todos: GeneratedPage['todos'] = []
  const count = random() < 0.5 ? 0 : random() < 0.8 ? 1 : 2
  for (let i = 0; i < count; i++) {
    const text = `${random() < 0.02 ? 'Pay the invoice for ' : ''}${makeSentence(3, 7)}`
    const completed = random() < 0.6
    todos.push({ text, completed, removed: random() < 0.05 })
    lines.push(`- [${completed ? 'x' : ' '}] ${text}`)
  }
  return { text: lines.join('\n'), todos }
}

export async function generateLibrary(client: pg.Client, userId: number, pages: number, tag: string): Promise<void> {
  const notebooks = Math.ceil(pages / PAGES_PER_NOTEBOOK)
  const start = Date.UTC(2023, 0, 1)
  const span = Date.UTC(2026, 10, 1) - start
  for (let nb = 0; nb < notebooks; nb++) {
    const uuid = `${tag}-nb-${nb}`
    const isPdf = nb % PDF_EVERY === 0
    const { rows: [notebook] } = await client.query<{ id: number }>(
      `insert into notebooks (user_id, uuid, visible_name, type, updated_at) values ($1, $2, $3, $4, now()) returning id`,
      [userId, uuid, `${isPdf ? 'Paper' : 'Notebook'} ${nb} ${makeSentence(1, 3)}`, isPdf ? 'PDF' : 'NOTEBOOK'],
    )
    const n = Math.min(PAGES_PER_NOTEBOOK, pages - nb * PAGES_PER_NOTEBOOK)
    const generated = Array.from({ length: n }, () => makePage())
    const created = Array.from({ length: n }, () => new Date(start + random() * span))
    const { rows: pageRows } = await client.query<{ id: number; n: number }>(
      `insert into pages (user_id, notebook_id, notebook_uuid, uuid, ocr_text, ocr_status, created_at, updated_at, text_ready_at)
       select $1, $2, $3, $3 || '-p-' || n, t, 'completed', c, c, c from unnest($4::text[], $5::timestamptz[]) with ordinality as x(t, c, n)
       returning id, (regexp_replace(uuid, '.*-p-', ''))::int as n`,
      [userId, notebook.id, uuid, generated.map((g) => g.text), created],
    )
    pageRows.sort((a, b) => a.n - b.n)
    await client.query(`insert into notebook_pages (notebook_id, page_id, page_number) select $1, id, n from unnest($2::int[]) with ordinality as x(id, n)`, [notebook.id, pageRows.map((p) => p.id)])
    const todos = generated.flatMap((g, i) => g.todos.map((t, j) => ({ ...t, pageId: pageRows[i].id, pageNumber: i + 1, sig: `${i}_${j}`, created: created[i] })))
    if (todos.length)
      await client.query(
        `insert into todos (user_id, notebook_id, notebook_uuid, page_id, page_number, text, completed, content_hash, fuzzy_signature, confusion_key, removed_at, created_at, updated_at)
         select $1, $2, $3, p, pn, t, c, s, s, s, case when r then now() end, ca, ca from unnest($4::int[], $5::int[], $6::text[], $7::boolean[], $8::text[], $9::boolean[], $10::timestamptz[]) as x(p, pn, t, c, s, r, ca)`,
        [userId, notebook.id, uuid, todos.map((t) => t.pageId), todos.map((t) => t.pageNumber), todos.map((t) => t.text), todos.map((t) => t.completed), todos.map((t) => t.sig), todos.map((t) => t.removed), todos.map((t) => t.created)],
      )
    if (isPdf)
      await client.query(
        `insert into highlights (user_id, notebook_id, notebook_uuid, page_id, page_number, original_text, original_text_hash, source_file, color, content_hash, created_at, updated_at)
         select $1, $2, $3, p, n, t, md5(t || n), $3 || '/' || p, 'yellow', md5(t || n || 'h'), now(), now() from unnest($4::int[], $5::text[]) with ordinality as x(p, t, n)`,
        [userId, notebook.id, uuid, pageRows.map((p) => p.id), pageRows.map(() => makeSentence(8, 25))],
      )
    if ((nb + 1) % 50 === 0) process.stdout.write(`  ${tag}: ${Math.min(pages, (nb + 1) * PAGES_PER_NOTEBOOK)} pages\r`)
  }
  process.stdout.write('\n')
}
