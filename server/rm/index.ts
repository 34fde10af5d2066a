/**
 * Reader for reMarkable v6 page files (.rm, tablet software 3.x and later): strokes,
 * typed text, highlights; Markdown of the typed text; SVG and PNG rendering.
 */
export { parseRm, DEFAULT_PAGE_SIZE } from './parseRm.ts'
export { pageToMarkdown } from './markdown.ts'
export { inspectPage, type RmInspection } from './inspectPage.ts'
export { renderSvg, type RenderSvgOptions } from './renderSvg.ts'
export { renderPng, type RenderPngOptions } from './renderPng.ts'
export { DEFAULT_RENDER_BOUNDS, type RenderBounds } from './renderBounds.ts'
export { checkHeader, V6_HEADER } from './blockStream.ts'
export { nameColor } from './penColors.ts'
export { nameTool } from './pens.ts'
export type { RmError, RmErrorCode } from './errors.ts'
export type {
  ParseRmOptions,
  Rgba,
  RmHighlight,
  RmLayer,
  RmPage,
  RmParagraph,
  RmParagraphStyle,
  RmPoint,
  RmRect,
  RmResult,
  RmSpan,
  RmStroke,
  RmUnknownBlock,
  RmUnreadableBlock,
} from './types.ts'
