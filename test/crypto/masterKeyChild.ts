// Run as a separate process by masterKeyFile.test.ts: says it is ready, waits for the go file so
// all children call at once, then prints what loadOrCreateMasterKeyFile returned.
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadOrCreateMasterKeyFile } from '../../server/crypto/masterKeyFile.ts'

const [dataDir, syncDir] = process.argv.slice(2)
const pause = new Int32Array(new SharedArrayBuffer(4))
writeFileSync(path.join(syncDir, `ready-${process.pid}`), '')
for (let waited = 0; !existsSync(path.join(syncDir, 'go')) && waited < 30_000; waited++) Atomics.wait(pause, 0, 0, 1)
const result = loadOrCreateMasterKeyFile(dataDir)
process.stdout.write(JSON.stringify({ key: result.key, created: result.created }))
