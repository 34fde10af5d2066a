import { Resvg } from '@resvg/resvg-js'
import { renderSvg } from './renderSvg.ts'
import type { RmPage } from './types.ts'

export interface RenderPngOptions {
  strokesOnly?: boolean
  /** Output width in pixels (height follows the page's proportions); default: one pixel per tablet pixel. */
  width?: number
}

const MIN_WIDTH = 16
const MAX_WIDTH = 8000

/** Rasterises `renderSvg`'s output with resvg; system fonts are loaded only when there is text to draw. */
export function renderPng(page: RmPage, opts: RenderPngOptions = {}): Uint8Array {
  const svg = renderSvg(page, { strokesOnly: opts.strokesOnly })
  const hasText = !opts.strokesOnly && page.paragraphs.some((paragraph) => paragraph.text.trim() !== '')
  const width =
    typeof opts.width === 'number' && Number.isFinite(opts.width)
      ? Math.round(Math.min(Math.max(opts.width, MIN_WIDTH), MAX_WIDTH))
      : undefined
  const resvg = new Resvg(svg, {
    fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: hasText, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  })
  return new Uint8Array(resvg.render().asPng())
}
