// /healthz tells a load balancer whether a server can serve files too: an S3 bucket that is missing
// or unreachable takes the server out of rotation, as an unreachable database does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/testApp.ts'
import { startS3rver, type LocalS3 } from '../helpers/fileStorageBackends.ts'

let s3: LocalS3
const apps: TestApp[] = []
beforeAll(async () => {
  s3 = await startS3rver()
})
afterAll(async () => {
  for (const app of apps) await app.close()
  await s3?.close()
})

describe('/healthz and file storage', () => {
  it('answers 200 with the store it uses when the bucket answers, 503 naming storage when it does not', async () => {
    const good = await startTestApp({ env: s3.env })
    apps.push(good)
    const ok = await good.fetch('/healthz')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'ok', database: 'ok', migrations: 'ok', storage: 'ok', fileStorage: 's3' })

    const missing = await startTestApp({ env: { ...s3.env, S3_BUCKET: 'no-such-bucket' } })
    apps.push(missing)
    const down = await missing.fetch('/healthz')
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({ status: 'unavailable', database: 'ok', storage: 'unreachable', fileStorage: 's3' })
  })

  it('reports PostgreSQL storage as ok on a migrated database', async () => {
    const app = await startTestApp({ env: { FILE_STORAGE: 'postgres' } })
    apps.push(app)
    const res = await app.fetch('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ storage: 'ok', fileStorage: 'postgres' })
  })
})
