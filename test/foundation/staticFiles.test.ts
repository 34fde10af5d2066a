// The built dashboard's files, and index.html for the app's routes, so a deep link or a reload of
// /dashboard/… opens the page it names.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeStaticHandler } from '../../server/http/staticFiles.ts'

let dir: string
let server: Server
let base: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmirror-static-'))
  fs.mkdirSync(path.join(dir, 'assets'))
  fs.writeFileSync(path.join(dir, 'index.html'), '<div id="root"></div>')
  fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)')
  const serve = makeStaticHandler(dir)
  server = createServer((req, res) => {
    if (!serve(req, res)) res.writeHead(404).end('not ours')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('dashboard files', () => {
  it.each(['/', '/dashboard', '/dashboard/notebooks/Tm90ZWJvb2s6MQ==', '/dashboard/notebooks/Tm90ZWJvb2s6MQ%3D%3D#page-2', '/dashboard/notebooks/name.with.dots', '/dashboard/settings/tokens', '/login?next=%2Fdashboard'])(
    'answers index.html, never cached, for the app route %s',
    async (route) => {
      const res = await fetch(base + route)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(await res.text()).toBe('<div id="root"></div>')
    },
  )

  it('serves hashed assets as immutable, and leaves missing files outside /dashboard/ to a 404', async () => {
    const asset = await fetch(`${base}/assets/app-1a2b.js`)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(await asset.text()).toBe('console.log(1)')
    for (const missing of ['/assets/gone-9z.js', '/favicon.ico', '/robots.txt']) expect((await fetch(base + missing)).status).toBe(404)
  })

  it('never serves a file outside its folder', async () => {
    for (const escape of ['/..%2f..%2fetc%2fpasswd', '/dashboard/..%2F..%2F..%2Fetc%2Fpasswd']) {
      const res = await fetch(base + escape)
      expect(await res.text()).not.toContain('root:')
    }
  })
})
