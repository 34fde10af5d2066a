// Imports every type file, then builds the schema. Nothing is defined here.
import { builder } from '../builder.ts'
import './errors.ts'
import './enums.ts'
import './viewer.ts'
import './account.ts'
import './apiToken.ts'
import './notebook.ts'
import './page.ts'
import './todo.ts'
import './highlight.ts'
import './syncRecord.ts'
import './tombstone.ts'
import './upload.ts'
import './subscriptions.ts'

export const schema = builder.toSchema({ sortSchema: true })
