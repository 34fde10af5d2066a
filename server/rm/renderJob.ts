// What the render threads are asked and answer (server/rm/renderPool.ts ↔ renderThreadMain.ts).
import type { RenderBounds } from './renderBounds.ts'
import type { RmPage } from './types.ts'

export interface RenderJobOptions {
  width?: number
  strokesOnly?: boolean
}

export type RenderJob =
  | { id: number; kind: 'file'; bytes: Uint8Array; options: RenderJobOptions; bounds: RenderBounds }
  | { id: number; kind: 'page'; page: RmPage; options: RenderJobOptions; bounds: RenderBounds }

export type RenderAnswer =
  | { id: number; ok: true; png: Uint8Array }
  /** `unreadable`: the file is not a page this reader can read; `failed`: drawing it failed. */
  | { id: number; ok: false; reason: 'unreadable' | 'failed'; message: string }
