// Request timeouts of seconds (issue 15 item 10): a body shorter than its Content-Length, or headers
// that never end, no longer hold a connection for Node's default five minutes.
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ env: { HTTP_IDLE_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '2000' } })
})
afterAll(async () => {
  await app?.close()
})

/** Sends `raw` and collects what the server answers until it closes the connection. */
function sendAndWaitForClose(raw: string): Promise<string> {
  const { hostname, port } = new URL(app.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(raw))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe('request timeouts', () => {
  it('answers 408 and closes the connection when a body stops short of its Content-Length', async () => {
    const body = '{"query":"{ viewer'
    const answer = await sendAndWaitForClose(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n${body}`)
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect(answer).toContain('REQUEST_TIMEOUT')
  })

  it('closes the connection when the headers never end', async () => {
    const answer = await sendAndWaitForClose(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: `)
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
  })

  it('still serves a whole request', async () => {
    const res = await app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) })
    expect(res.status).toBe(200)
  })
})
