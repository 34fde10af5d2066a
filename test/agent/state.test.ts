import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { openStateStore, stateFilePath } from '../../agent/state.ts'
import { runUploadPass } from '../../agent/uploadPass.ts'
import { makeTempDirs, type TempDirs } from './desktopFixture.ts'
import { STUB_TOKEN, startGraphqlStub, type GraphqlStub } from './graphqlStub.ts'

let dirs: TempDirs
let stub: GraphqlStub
beforeEach(async () => {
  dirs = await makeTempDirs(false)
  await mkdir(dirs.folder)
  stub = await startGraphqlStub()
})
afterEach(async () => {
  await stub.close()
  await dirs.remove()
})

describe('agent state', () => {
  it('lets one agent at a time use a folder’s state, and takes over a lock left by a dead process', async () => {
    const first = await openStateStore(dirs.stateDir, dirs.folder, 'http://a')
    expect(first.ok).toBe(true)
    const second = await openStateStore(dirs.stateDir, dirs.folder, 'http://a')
    expect(second).toMatchObject({ ok: false, code: 'STATE_LOCKED' })
    const otherServer = await openStateStore(dirs.stateDir, dirs.folder, 'http://b')
    expect(otherServer.ok).toBe(true)
    if (first.ok) await first.store.close()
    if (otherServer.ok) await otherServer.store.close()

    const lockFile = `${stateFilePath(dirs.stateDir, dirs.folder, 'http://a')}.lock`
    await writeFile(lockFile, `999999999@${(await import('node:os')).hostname()}`) // no such pid
    const takenOver = await openStateStore(dirs.stateDir, dirs.folder, 'http://a')
    expect(takenOver.ok).toBe(true)
    if (takenOver.ok) await takenOver.store.close()
    await expect(stat(lockFile)).rejects.toThrow()
  })

  it('writes the state owner-only and atomically (no temp files left), and moves an unreadable one aside', async () => {
    const opened = await openStateStore(dirs.stateDir, dirs.folder, 'http://a')
    if (!opened.ok) throw new Error(opened.message)
    opened.store.state.notebooks.x = { metadataHash: 'h' }
    await opened.store.close()
    const file = stateFilePath(dirs.stateDir, dirs.folder, 'http://a')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(dirs.stateDir)).toEqual([path.basename(file)])
    expect(JSON.parse(await readFile(file, 'utf8')).notebooks).toEqual({ x: { metadataHash: 'h' } })

    await writeFile(file, '{"version": 1, "pages": ')
    const reopened = await openStateStore(dirs.stateDir, dirs.folder, 'http://a')
    if (!reopened.ok) throw new Error(reopened.message)
    expect(reopened.store.state.notebooks).toEqual({})
    expect(reopened.warnings[0]).toContain('moved to')
    await reopened.store.close()
    expect((await readdir(dirs.stateDir)).filter((name) => name.includes('.corrupt-'))).toHaveLength(1)
  })

  it('a pass refuses to run while another holds the folder', async () => {
    const held = await openStateStore(dirs.stateDir, dirs.folder, stub.url)
    const summary = await runUploadPass({ folder: dirs.folder, url: stub.url, token: STUB_TOKEN, stateDir: dirs.stateDir })
    expect(summary.aborted?.code).toBe('STATE_LOCKED')
    expect(stub.calls).toEqual([])
    if (held.ok) await held.store.close()
  })

  it('sends metadata in batches of at most 500 notebooks', async () => {
    for (let i = 0; i < 1201; i++)
      await writeFile(path.join(dirs.folder, `folder-${String(i).padStart(4, '0')}.metadata`), JSON.stringify({ visibleName: `F${i}`, type: 'CollectionType', parent: '' }))
    const summary = await runUploadPass({ folder: dirs.folder, url: stub.url, token: STUB_TOKEN, stateDir: dirs.stateDir })
    expect(stub.callsOf('SyncNotebookMetadata').map((call) => call.variables.input.notebooks.length)).toEqual([500, 500, 201])
    expect(summary).toMatchObject({ notebooks: 1201, notebooksSynced: 1201 })
  })
})
