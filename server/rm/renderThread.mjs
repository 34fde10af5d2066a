// Entry of a render thread (server/rm/renderPool.ts). Plain JavaScript so that Node can start it in
// any host (tsx, vitest): it registers tsx's loader in this thread, then runs the TypeScript body.
import { register } from 'tsx/esm/api'

register()
await import('./renderThreadMain.ts')
