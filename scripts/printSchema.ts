// `npm run schema`: prints the Pothos schema (sorted) to schema.graphql, which is committed.
// A test fails when the committed file is stale.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lexicographicSortSchema, printSchema } from 'graphql'
import { schema } from '../server/schema/index.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const schemaFile = path.join(root, 'schema.graphql')

export function renderSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n'
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(schemaFile, renderSchema())
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`)
}
