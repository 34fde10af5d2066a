import { Resvg } from '@resvg/resvg-js'
import { renderSizedSvg } from './renderSvg.ts'
import { DEFAULT_RENDER_BOUNDS, fitOutputSize, type RenderBounds } from './renderBounds.ts'
import type { RmPage } from './types.ts'

export interface RenderPngOptions {
  strokesOnly?: boolean
  /** Output width in pixels (height follows the page's proportions); default: one pixel per tablet pixel. */
  width?: number
  /** Pixel budget and longest ratio (default DEFAULT_RENDER_BOUNDS): a larger image is scaled down to fit. */
  bounds?: RenderBounds
}

const MIN_WIDTH = 16
const MAX_WIDTH = 8000

/**
 * Rasterises `renderSvg`'s output with resvg; system fonts are loaded only when there is text to draw.
 * The image never holds more than bounds.maxPixels pixels, whatever the page's size or the width asked.
 */
export function renderPng(page: RmPage, opts: RenderPngOptions = {}): Uint8Array {
  const bounds = opts.bounds ?? DEFAULT_RENDER_BOUNDS
  const { svg, width: viewWidth, height: viewHeight } = renderSizedSvg(page, { strokesOnly: opts.strokesOnly, bounds })
  const hasText = !opts.strokesOnly && page.paragraphs.some((paragraph) => paragraph.text.trim() !== '')
  const requested =
    typeof opts.width === 'number' && Number.isFinite(opts.width)
      ? Math.round(Math.min(Math.max(opts.width, MIN_WIDTH), MAX_WIDTH))
      : undefined
  const output = fitOutputSize(viewWidth, viewHeight, requested, bounds)
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: output.width },
    background: '#ffffff',
    font: { loadSystemFonts: hasText, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  })
  return new Uint8Array(resvg.render().asPng())
}
