import { builder } from '../builder.ts'

builder.queryField('apiVersion', (t) => t.string({ description: 'The server version.', resolve: () => process.env.npm_package_version ?? '0.1.0' }))
