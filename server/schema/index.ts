// Imports every type file, then builds the schema. Nothing is defined here.
import { builder } from '../builder.ts'
import './viewer.ts'

export const schema = builder.toSchema({ sortSchema: true })
