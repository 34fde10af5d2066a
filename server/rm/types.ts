import type { RmError } from './errors.ts'
import type { Rgba } from './penColors.ts'

export type { Rgba } from './penColors.ts'

/**
 * One sample of a stroke, in the file's coordinates: x is measured from the page's
 * horizontal centre, y from its top, in tablet pixels (1404 × 1872 on reMarkable 2).
 * speed, width (¼ px units), direction (1/255 turn) and pressure (0–255) are on the
 * scales of the newer point encoding, whichever encoding the file used.
 */
export interface RmPoint {
  x: number
  y: number
  speed: number
  width: number
  direction: number
  pressure: number
}

export interface RmStroke {
  /** Tool name as rmscene's Pen enum, lowercase (e.g. `ballpoint_2`, `highlighter_2`, `shader`). */
  tool: string
  toolId: number
  /** Colour name as rmscene's PenColor enum, lowercase (e.g. `black`, `highlight`, `green_2`). */
  color: string
  colorId: number
  /** The colour to draw: the stroke's own RGBA when the file has one (highlighter, shader), else the palette's. */
  rgba: Rgba
  thicknessScale: number
  startingLength: number
  points: RmPoint[]
  /** Index into `layers`, or -1 for a stroke placed directly under the page root. */
  layer: number
  /** Offset to add to every point: groups anchored to typed text are stored relative to it. */
  origin: { x: number; y: number }
  /** False when its layer or group is hidden. */
  visible: boolean
}

export interface RmRect {
  x: number
  y: number
  w: number
  h: number
}

export interface RmHighlight {
  text: string
  /** Colour name as rmscene's PenColor enum, lowercase (e.g. `yellow`, `highlight`). */
  color: string
  colorId: number
  rgba: Rgba
  /** Rectangles on the page, in the same coordinates as stroke points (origin already added). */
  rects: RmRect[]
  /** Character offset in the document (files from software before 3.6 only). */
  start?: number
  layer: number
}

export type RmParagraphStyle =
  | 'basic'
  | 'plain'
  | 'heading'
  | 'bold'
  | 'bullet'
  | 'bullet2'
  | 'checkbox'
  | 'checkbox-checked'

export interface RmSpan {
  text: string
  bold: boolean
  italic: boolean
}

export interface RmParagraph {
  style: RmParagraphStyle
  text: string
  /** The text cut where inline bold/italic changes; absent when the paragraph has no text. */
  spans?: RmSpan[]
}

export interface RmLayer {
  /** The layer's node id, `author:counter`. */
  id: string
  label: string
  visible: boolean
  strokes: RmStroke[]
  highlights: RmHighlight[]
}

export interface RmUnknownBlock {
  type: number
  minVersion: number
  currentVersion: number
  offset: number
  length: number
  /** The block's body, a view into the input (kept so nothing a newer tablet wrote is lost). */
  body: Uint8Array
}

export interface RmUnreadableBlock {
  type: number
  offset: number
  reason: string
}

export interface RmPage {
  /** Canvas size: the file's paper size when it states one, else 1404 × 1872. */
  width: number
  height: number
  layers: RmLayer[]
  /** Every stroke in drawing order (layers in order, each layer's items in CRDT order). */
  strokes: RmStroke[]
  paragraphs: RmParagraph[]
  highlights: RmHighlight[]
  /** True when a visible stroke was made with a writing tool (not highlighter, shader or eraser). */
  hasHandwriting: boolean
  /** The typed-text box: x from the page centre, y from the top, width in pixels. */
  textBox?: { x: number; y: number; width: number }
  /** Blocks of types this reader does not know, kept as they were. */
  unknownBlocks: RmUnknownBlock[]
  /** Blocks of known types whose contents did not match the expected layout; skipped. */
  unreadableBlocks: RmUnreadableBlock[]
  /** Deleted scene items (erased strokes, removed highlights, tombstones). */
  deletedItems: number
  /** Work spent reading, in budget steps. */
  steps: number
}

export type RmResult = { ok: true; page: RmPage } | { ok: false; error: RmError }

export interface ParseRmOptions {
  /** Upper bound on reading work; defaults to a bound proportional to the input size. */
  maxSteps?: number
}
