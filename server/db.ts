// One PrismaClient (over node-postgres through @prisma/adapter-pg) per process.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/prisma/client.ts'

export { PrismaClient }
export type { Prisma } from './generated/prisma/client.ts'
export type Db = PrismaClient
/** A client or an interactive transaction: what code that may run inside a transaction takes. */
export type DbTx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>

export interface MakeDbOptions {
  poolSize?: number
  /** Called with every SQL statement sent (tests count statements with it). */
  onQuery?: (sql: string) => void
}

export function makeDb(databaseUrl: string, options: MakeDbOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 })
  const client = new PrismaClient({ adapter, log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [] })
  if (options.onQuery) {
    const onQuery = options.onQuery
    ;(client as any).$on('query', (e: { query: string }) => onQuery(e.query))
  }
  return client
}
