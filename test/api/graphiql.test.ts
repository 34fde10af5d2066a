// GraphiQL in a browser, served whole by the server: no script, style or worker fetched from elsewhere,
// so it works on a machine without internet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(async () => {
  await app?.close()
})

describe('GraphiQL', () => {
  it('answers a browser at /graphql with a self-contained page', async () => {
    const res = await app.fetch('/graphql', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('<title>rmirror-cloud GraphQL</title>')
    // Every <script> and stylesheet is inline: none has a src or href pointing elsewhere.
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i)
    expect(html).not.toMatch(/<link[^>]*rel=["']?stylesheet/i)
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr|esm\.sh/)
    // The subscriptions protocol the page speaks is the server's own graphql-ws.
    expect(html).toContain('"subscriptionsProtocol":"WS"')
  })

  it('still answers programs with JSON, not the page', async () => {
    const res = await app.fetch('/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } })
  })
})
