import { afterEach } from 'vitest'
import { makeOpenAiOcrProvider, type OpenAiOcrOptions } from '../../server/ocr/index.ts'
import { startOcrFake, type OcrFake, type OcrFakeOptions } from '../fakes/ocr/index.ts'

export const API_KEY = 'sk-test-6f1c9d2e8a7b4c3d'

/** A fake per test, closed after it; the provider points at it with the same key. */
export function useOcrFake() {
  const open: OcrFake[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((fake) => fake.close()))
  })
  return async (fakeOptions: OcrFakeOptions = { apiKey: API_KEY }, providerOptions: Partial<OpenAiOcrOptions> = {}) => {
    const fake = await startOcrFake(fakeOptions)
    open.push(fake)
    const provider = makeOpenAiOcrProvider({
      baseUrl: fake.url,
      apiKey: fakeOptions.apiKey,
      model: 'gpt-4o-mini',
      timeoutMs: 5_000,
      ...providerOptions,
    })
    return { fake, provider }
  }
}
