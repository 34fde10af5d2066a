// Prisma 6.19.3 CLI on the WASM schema engine over @prisma/adapter-pg: nothing is downloaded, so
// generate and migrate work offline. Three upstream bugs are worked around here (../shared/STACK.md).
import { defineConfig } from 'prisma/config'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { randomUUID } from 'node:crypto'

// prisma/orm#27403: the schema engine's introspection returns catalog types (name, "char", oid
// arrays...) that adapter-pg cannot deserialize. Relabel those result columns as text / text[].
const CATALOG_TYPE_AS_TEXT: Record<number, number> = {
  18: 25, 19: 25, 22: 25, 24: 25, 30: 25, 194: 25, 2205: 25, 2206: 25, 1002: 1009, 1003: 1009,
}
function relabelCatalogTypes(result: any) {
  for (const r of Array.isArray(result) ? result : [result])
    for (const f of r?.fields ?? []) if (CATALOG_TYPE_AS_TEXT[f.dataTypeID]) f.dataTypeID = CATALOG_TYPE_AS_TEXT[f.dataTypeID]
  return result
}
class CatalogSafeClient extends pg.Client {
  query(...args: any[]): any {
    const callback = typeof args[args.length - 1] === 'function' ? args.pop() : null
    if (callback) return (super.query as any)(...args, (err: any, res: any) => callback(err, err ? res : relabelCatalogTypes(res)))
    const r = (super.query as any)(...args)
    return r && typeof r.then === 'function' ? r.then(relabelCatalogTypes) : r
  }
}

// Discrete settings (not a connection string, which would override the shadow database's name);
// a short idle timeout so the CLI does not linger after it is done.
function makePoolConfig(url: string, database?: string) {
  const u = new URL(url)
  return {
    host: decodeURIComponent(u.hostname), port: Number(u.port || 5432), user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined, database: database ?? decodeURIComponent(u.pathname.slice(1)),
    Client: CatalogSafeClient, allowExitOnIdle: true, idleTimeoutMillis: 500,
  } as any
}

// adapter-pg drops the shadow database before closing its pool; close first, then drop.
function makeMigrateAdapter(url: string) {
  const main = new PrismaPg(makePoolConfig(url))
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      const admin = await main.connect()
      const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`
      await admin.executeScript(`CREATE DATABASE "${name}"`)
      const shadow = await new PrismaPg(makePoolConfig(url, name)).connect()
      const dispose = shadow.dispose.bind(shadow)
      shadow.dispose = async () => {
        await dispose()
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`)
        await admin.dispose()
      }
      return shadow
    },
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => makeMigrateAdapter(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres') as any,
})
