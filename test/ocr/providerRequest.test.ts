import { describe, expect, it } from 'vitest'
import { INSTRUCTION, TRANSCRIBE_ASK, makeOpenAiOcrProvider } from '../../server/ocr/index.ts'
import { CHAT_PATH } from '../fakes/ocr/index.ts'
import { useOcrFake } from './helpers.ts'
import { makeTinyPng } from './tinyPng.ts'

const png = makeTinyPng(12, 9)

interface SentBody {
  model: string
  temperature?: number
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string; detail?: string } }[] }[]
  [key: string]: unknown
}

describe('OpenAI-compatible provider: the request', () => {
  const start = useOcrFake()

  it('POSTs model, system instruction, ask and the PNG as a data URL, with the bearer key', async () => {
    const { fake, provider } = await start()
    const result = await provider.transcribe(png)
    expect(result.ok).toBe(true)
    expect(provider.name).toBe('openai')

    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request.method).toBe('POST')
    expect(request.path).toBe(CHAT_PATH)
    expect(request.hasAuth).toBe(true)
    expect(request.authOk).toBe(true)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers.authorization).toBeUndefined()

    const body = request.body as SentBody
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'temperature'])
    expect(body.model).toBe('gpt-4o-mini')
    expect(body.temperature).toBe(0)
    expect(body.messages).toHaveLength(2)
    expect(body.messages[0]).toEqual({ role: 'system', content: INSTRUCTION })
    const user = body.messages[1]
    expect(user.role).toBe('user')
    expect(Array.isArray(user.content)).toBe(true)
    const [text, image] = user.content as Exclude<SentBody['messages'][number]['content'], string>
    expect(text).toEqual({ type: 'text', text: TRANSCRIBE_ASK })
    expect(image.type).toBe('image_url')
    expect(image.image_url?.detail).toBe('high')
    expect(image.image_url?.url).toBe(`data:image/png;base64,${Buffer.from(png).toString('base64')}`)

    expect(request.image).toMatchObject({ source: 'data', mediaType: 'image/png', isPng: true, byteLength: png.length, width: 12, height: 9 })
    expect(Buffer.from(request.image!.bytes!).equals(Buffer.from(png))).toBe(true)
  })

  it('tells the model the conventions it must follow', () => {
    for (const rule of ['- ', 'two spaces', '- [ ]', '- [x]', '## ', '→', 'no code fences', 'output nothing', 'typed text']) {
      expect(INSTRUCTION).toContain(rule)
    }
  })

  it('sends no Authorization header without a key (local Ollama / vLLM)', async () => {
    const { fake, provider } = await start({})
    const result = await provider.transcribe(png)
    expect(result.ok).toBe(true)
    expect(fake.requests[0].hasAuth).toBe(false)
    expect(fake.requests[0].authOk).toBeNull()
  })

  it('treats a blank key as no key', async () => {
    const { fake } = await start({})
    const provider = makeOpenAiOcrProvider({ baseUrl: fake.url, apiKey: '   ', model: 'llava', timeoutMs: 5_000 })
    expect((await provider.transcribe(png)).ok).toBe(true)
    expect(fake.requests[0].hasAuth).toBe(false)
  })

  it('tolerates a trailing slash on the base URL', async () => {
    const { fake } = await start({})
    const provider = makeOpenAiOcrProvider({ baseUrl: `${fake.url}//`, model: 'llava', timeoutMs: 5_000 })
    expect((await provider.transcribe(png)).ok).toBe(true)
    expect(fake.requests[0].path).toBe(CHAT_PATH)
  })

  it('adds the page hint to the ask, flattened and bounded', async () => {
    const { fake, provider } = await start()
    await provider.transcribe(png, { pageHint: 'Work / Projects\n  — page 3' })
    await provider.transcribe(png, { pageHint: 'x'.repeat(1_000) })
    const asks = fake.requests.map((request) => ((request.body as SentBody).messages[1].content as { text?: string }[])[0].text)
    expect(asks[0]).toBe(`${TRANSCRIBE_ASK}\nPage: Work / Projects — page 3`)
    expect(asks[1]).toBe(`${TRANSCRIBE_ASK}\nPage: ${'x'.repeat(200)}`)
  })

  it('leaves temperature out when configured null, and sends another detail when asked', async () => {
    const { fake, provider } = await start(undefined, { temperature: null, imageDetail: 'low' })
    await provider.transcribe(png)
    const body = fake.requests[0].body as SentBody
    expect('temperature' in body).toBe(false)
    expect(fake.requests[0].image?.detail).toBe('low')
  })

  it('refuses unusable base URLs at construction without echoing them', () => {
    const make = (baseUrl: string) => () => makeOpenAiOcrProvider({ baseUrl, model: 'm', timeoutMs: 1_000 })
    expect(make('not a url')).toThrow('OCR base URL is not a valid URL')
    expect(make('ftp://example.com/v1')).toThrow('http or https')
    expect(make('https://user:hunter2@example.com/v1')).toThrow(/must not contain/)
    const withKey = (apiKey: string) => () => makeOpenAiOcrProvider({ baseUrl: 'https://example.com/v1', apiKey, model: 'm', timeoutMs: 1_000 })
    expect(withKey('sk-abc\ndef')).toThrow(/cannot be sent in a header/)
    expect(withKey('sk-abc déf')).toThrow(/cannot be sent in a header/)
    expect(withKey('  sk-abc-def \n')).not.toThrow()
    try {
      make('https://user:hunter2@example.com/v1')()
    } catch (error) {
      expect(String(error)).not.toContain('hunter2')
    }
  })
})

describe('OpenAI-compatible provider: the answer', () => {
  const start = useOcrFake()

  it('returns the cleaned transcript, usage, model and finish reason', async () => {
    const { fake, provider } = await start()
    fake.script([
      {
        transcript: 'Here is the transcription:\n\n```markdown\n## Groceries\n* [X] eggs\n    * [ ] milk  \n```',
        usage: { prompt_tokens: 812, completion_tokens: 19, total_tokens: 831 },
      },
    ])
    const result = await provider.transcribe(png)
    expect(result).toMatchObject({
      ok: true,
      text: '## Groceries\n- [x] eggs\n  - [ ] milk',
      usage: { promptTokens: 812, completionTokens: 19, totalTokens: 831 },
      model: 'gpt-4o-mini',
      finishReason: 'stop',
    })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it.each([
    ['```\n- a\n- b\n```', '- a\n- b'],
    ['```markdown\n- a\n- b\n```\nLet me know if you need anything else!', '- a\n- b'],
    ["Sure! Here's the Markdown:\n```md\n- a\n- b\n```", '- a\n- b'],
    ['<think>two bullets</think>\n- a\n- b', '- a\n- b'],
  ])('strips the wrapping of another model style (%#)', async (content, expected) => {
    const { fake, provider } = await start()
    fake.script([{ transcript: content }])
    const result = await provider.transcribe(png)
    expect(result.ok && result.text).toBe(expected)
  })

  it('joins the text parts of an array content, skipping other part types', async () => {
    const { fake, provider } = await start()
    fake.script([
      {
        content: [
          { type: 'thinking', thinking: 'looks like a list' },
          { type: 'text', text: '- first\n' },
          { type: 'text', text: '- second' },
        ],
      },
    ])
    const result = await provider.transcribe(png)
    expect(result.ok && result.text).toBe('- first\n- second')
  })

  it('gives "" for an empty answer and for a "no handwriting" answer', async () => {
    const { fake, provider } = await start()
    fake.script([{ transcript: '' }, { transcript: '(No handwriting found.)' }])
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, text: '' })
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, text: '' })
  })

  it('reports usage null when the server sends none, and sums a missing total', async () => {
    const { fake, provider } = await start()
    fake.script([{ usage: null }, { body: completionBody({ prompt_tokens: 10, completion_tokens: 5 }) }])
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, usage: null })
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } })
  })

  it('reports the model the server names and a cut-off answer', async () => {
    const { fake, provider } = await start()
    fake.script([{ body: { ...completionBody(), model: 'gpt-4o-mini-2024-07-18' } }, { finishReason: 'length', transcript: '- a\n- b' }])
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, model: 'gpt-4o-mini-2024-07-18' })
    expect(await provider.transcribe(png)).toMatchObject({ ok: true, text: '- a\n- b', finishReason: 'length' })
  })

  it('sends one request per call and nothing else', async () => {
    const { fake, provider } = await start()
    for (let i = 0; i < 3; i++) await provider.transcribe(png)
    expect(fake.stats()).toMatchObject({ requests: 3, completions: 3, byStatus: { 200: 3 }, pngImages: 3 })
  })
})

function completionBody(usage?: Record<string, number>) {
  return {
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: '- a' }, finish_reason: 'stop' }],
    ...(usage ? { usage } : {}),
  }
}
