import { startServer, type FakeState, type RecordedRequest, type ScriptedResponse } from './server.ts'

// A strict local stand-in for an OpenAI-compatible chat-completions endpoint with image input.
// Point the OCR provider at `url` (it ends in /v1, like https://api.openai.com/v1).

export interface OcrFakeOptions {
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string
  /** The answer's text when no scripted response gives one. Default "- fake transcript". */
  defaultTranscript?: string
  /** Added before every answer that has no delay of its own. */
  delayMs?: number
  now?: () => number
}

export interface OcrFakeStats {
  requests: number
  /** Valid requests answered with a generated completion. */
  completions: number
  byStatus: Record<string, number>
  stalled: number
  closed: number
  /** Scripted responses not yet used. */
  scriptRemaining: number
  images: number
  pngImages: number
}

export interface OcrFake {
  url: string
  /** Every request in arrival order, updated as it is answered. */
  requests: RecordedRequest[]
  /** Queues answers for the next valid chat-completions requests, one each, in order. */
  script(responses: ScriptedResponse[]): void
  setDefaultTranscript(text: string): void
  stats(): OcrFakeStats
  /** Forgets requests and pending script (connections in flight are left alone). */
  reset(): void
  /** Closes the server and every connection, stalled ones included; calling it again is harmless. */
  close(): Promise<void>
}

export async function startOcrFake(options: OcrFakeOptions = {}): Promise<OcrFake> {
  const state: FakeState = {
    apiKey: options.apiKey,
    defaultTranscript: options.defaultTranscript ?? '- fake transcript',
    delayMs: options.delayMs ?? 0,
    now: options.now ?? Date.now,
    script: [],
    requests: [],
    completions: 0,
  }
  const { server, url } = await startServer(state)
  let closing: Promise<void> | undefined
  return {
    url,
    requests: state.requests,
    script(responses) {
      state.script.push(...responses)
    },
    setDefaultTranscript(text) {
      state.defaultTranscript = text
    },
    stats() {
      const byStatus: Record<string, number> = {}
      for (const request of state.requests) {
        if (request.status !== null) byStatus[request.status] = (byStatus[request.status] ?? 0) + 1
      }
      const images = state.requests.flatMap((request) => request.images)
      return {
        requests: state.requests.length,
        completions: state.completions,
        byStatus,
        stalled: state.requests.filter((request) => request.outcome === 'stalled').length,
        closed: state.requests.filter((request) => request.outcome === 'closed').length,
        scriptRemaining: state.script.length,
        images: images.length,
        pngImages: images.filter((image) => image.isPng).length,
      }
    },
    reset() {
      state.requests.length = 0
      state.script.length = 0
      state.completions = 0
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
      return closing
    },
  }
}

export { CHAT_PATH } from './server.ts'
export type { RecordedRequest, ScriptedResponse } from './server.ts'
export type { RecordedImage, ImageFormat } from './images.ts'
