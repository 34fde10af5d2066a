import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderSchema, schemaFile } from '../../scripts/printSchema.ts'

describe('schema.graphql', () => {
  it('is the schema Pothos builds, printed sorted (run `npm run schema` after changing types)', () => {
    expect(fs.readFileSync(schemaFile, 'utf8')).toBe(renderSchema())
  })
})
