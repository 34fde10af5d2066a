import { chooseStrokeStyle, measurePointWidth, shadeInk, type StrokeStyle } from './strokeStyle.ts'
import { escapeXml, formatNumber as n, formatRgb } from './svgText.ts'
import { DEFAULT_TEXT_BOX, layOutText } from './textLayout.ts'
import type { RmHighlight, RmPage, RmParagraph, RmStroke } from './types.ts'
import { cutToAspect, DEFAULT_RENDER_BOUNDS, type RenderBounds } from './renderBounds.ts'

export interface RenderSvgOptions {
  /** Only handwriting and drawing: no typed text, no text highlights (e.g. as OCR input). */
  strokesOnly?: boolean
  /** The view is cut to bounds.maxAspect (default DEFAULT_RENDER_BOUNDS). */
  bounds?: RenderBounds
}

export interface SizedSvg {
  svg: string
  /** The view's size in tablet pixels. */
  width: number
  height: number
}

interface Bounds {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/**
 * Page coordinates put x = 0 at the page centre; the SVG puts it at the left edge. The
 * view covers the canvas and grows to include content drawn past it (long scrolled pages,
 * PDF highlights left of the canvas), within limits that keep a corrupt coordinate from
 * producing an enormous image.
 */
function measureBounds(page: RmPage, strokes: RmStroke[], highlights: RmHighlight[]): Bounds {
  const width = Math.min(Math.max(page.width, 1), 20_000)
  const height = Math.min(Math.max(page.height, 1), 20_000)
  const half = width / 2
  const bounds = { minX: 0, minY: 0, maxX: width, maxY: height }
  const include = (x: number, y: number, pad: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return
    bounds.minX = Math.min(bounds.minX, x - pad)
    bounds.maxX = Math.max(bounds.maxX, x + pad)
    bounds.minY = Math.min(bounds.minY, y - pad)
    bounds.maxY = Math.max(bounds.maxY, y + pad)
  }
  for (const stroke of strokes) {
    for (const point of stroke.points) {
      include(point.x + stroke.origin.x + half, point.y + stroke.origin.y, measurePointWidth(point, stroke) / 2 + 4)
    }
  }
  for (const highlight of highlights) {
    for (const rect of highlight.rects) {
      include(rect.x + half, rect.y, 4)
      include(rect.x + rect.w + half, rect.y + rect.h, 4)
    }
  }
  return {
    minX: Math.max(bounds.minX, -width),
    maxX: Math.min(bounds.maxX, 2 * width),
    minY: Math.max(bounds.minY, -height),
    maxY: Math.min(bounds.maxY, 5 * height),
  }
}

function listPoints(stroke: RmStroke, half: number, from: number, to: number): string {
  const parts: string[] = []
  for (let i = from; i < to; i++) {
    const point = stroke.points[i]
    const x = point.x + stroke.origin.x + half
    const y = point.y + stroke.origin.y
    if (Number.isFinite(x) && Number.isFinite(y)) parts.push(`${n(x)},${n(y)}`)
  }
  return parts.join(' ')
}

/** A translucent stroke is one shape so that where it crosses itself it is not darker. */
function drawTranslucentStroke(stroke: RmStroke, style: StrokeStyle, half: number): string {
  const widths = stroke.points.map((point) => measurePointWidth(point, stroke)).sort((a, b) => a - b)
  const width = widths[widths.length >> 1]
  const points = listPoints(stroke, half, 0, stroke.points.length)
  return (
    `<polyline points="${points}" fill="none" stroke="${formatRgb(stroke.rgba)}" stroke-width="${n(width)}"` +
    ` stroke-linecap="${style.linecap}" stroke-linejoin="round" opacity="${n(style.opacity)}" style="mix-blend-mode:multiply"/>`
  )
}

/** An ink stroke is cut into polylines wherever its drawn width or shade changes. */
function drawInkStroke(stroke: RmStroke, style: StrokeStyle, half: number): string {
  const { points } = stroke
  if (points.length === 1) {
    const point = points[0]
    const x = point.x + stroke.origin.x + half
    const y = point.y + stroke.origin.y
    if (!Number.isFinite(x) || !Number.isFinite(y)) return ''
    return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(measurePointWidth(point, stroke) / 2)}" fill="${formatRgb(shadeInk(stroke.rgba, point, style.kind))}"/>`
  }
  const parts: string[] = []
  let runStart = 0
  let runKey = ''
  const flush = (end: number) => {
    if (end - runStart < 1) return
    const [width, color] = runKey.split('|')
    // Each run starts at the previous run's last point so the line stays joined.
    const from = Math.max(runStart - 1, 0)
    parts.push(
      `<polyline points="${listPoints(stroke, half, from, end)}" fill="none" stroke="${color}" stroke-width="${width}"` +
        ` stroke-linecap="${style.linecap}" stroke-linejoin="round"/>`,
    )
  }
  for (let i = 0; i < points.length; i++) {
    const width = Math.round(measurePointWidth(points[i], stroke) * 2) / 2
    const key = `${n(width)}|${formatRgb(shadeInk(stroke.rgba, points[i], style.kind))}`
    if (i === 0) runKey = key
    else if (key !== runKey) {
      flush(i)
      runStart = i
      runKey = key
    }
  }
  flush(points.length)
  return parts.join('')
}

function drawStroke(stroke: RmStroke, half: number): string {
  if (stroke.points.length === 0) return ''
  const style = chooseStrokeStyle(stroke)
  return style.translucent ? drawTranslucentStroke(stroke, style, half) : drawInkStroke(stroke, style, half)
}

function drawHighlights(highlights: RmHighlight[], half: number): string {
  const rects = highlights.flatMap((highlight) =>
    highlight.rects
      .filter((rect) => [rect.x, rect.y, rect.w, rect.h].every(Number.isFinite) && rect.w > 0 && rect.h > 0)
      .map(
        (rect) =>
          `<rect x="${n(rect.x + half)}" y="${n(rect.y)}" width="${n(rect.w)}" height="${n(rect.h)}" fill="${formatRgb(highlight.rgba)}"/>`,
      ),
  )
  return rects.length > 0 ? `<g opacity="0.5" style="mix-blend-mode:multiply">${rects.join('')}</g>` : ''
}

function drawMarker(paragraph: RmParagraph, x: number, baseline: number, fontSize: number): string {
  const size = fontSize * 0.6
  const top = baseline - size
  switch (paragraph.style) {
    case 'bullet':
      return `<circle cx="${n(x - 22)}" cy="${n(baseline - fontSize * 0.3)}" r="5" fill="#000"/>`
    case 'bullet2':
      return `<circle cx="${n(x - 22)}" cy="${n(baseline - fontSize * 0.3)}" r="5" fill="none" stroke="#000" stroke-width="2"/>`
    case 'checkbox':
    case 'checkbox-checked': {
      const box = `<rect x="${n(x - 40)}" y="${n(top)}" width="${n(size)}" height="${n(size)}" fill="none" stroke="#000" stroke-width="2"/>`
      if (paragraph.style === 'checkbox') return box
      const tick = `M${n(x - 36)},${n(top + size * 0.5)} L${n(x - 40 + size * 0.4)},${n(top + size - 4)} L${n(x - 40 + size - 3)},${n(top + 3)}`
      return `${box}<path d="${tick}" fill="none" stroke="#000" stroke-width="3"/>`
    }
    default:
      return ''
  }
}

/** Typed text, laid out as the anchors were (see textLayout.ts); the tablet's fonts are not available. */
function drawText(page: RmPage, half: number): string {
  const layout = layOutText(page.paragraphs, page.textBox ?? DEFAULT_TEXT_BOX)
  const parts: string[] = []
  page.paragraphs.forEach((paragraph, index) => {
    const { left, fontSize, lines } = layout[index]
    const x = left + half
    const weight = paragraph.style === 'heading' || paragraph.style === 'bold' ? ' font-weight="bold"' : ''
    if (paragraph.text.trim() === '' || lines.length === 0) return
    parts.push(drawMarker(paragraph, x, lines[0].baseline, fontSize))
    const single = lines.length === 1 && paragraph.spans !== undefined
    for (const line of lines) {
      const content = single
        ? (paragraph.spans ?? [])
            .map((span) => {
              const attrs = `${span.bold ? ' font-weight="bold"' : ''}${span.italic ? ' font-style="italic"' : ''}`
              return attrs ? `<tspan${attrs}>${escapeXml(span.text)}</tspan>` : escapeXml(span.text)
            })
            .join('')
        : escapeXml(line.text)
      parts.push(
        `<text x="${n(x)}" y="${n(line.baseline)}" font-family="sans-serif" font-size="${fontSize}"${weight} xml:space="preserve">${content}</text>`,
      )
    }
  })
  return parts.join('\n')
}

/**
 * Renders a page to SVG in tablet pixels (1404 × 1872 on reMarkable 2, or the file's paper
 * size): typed text, text highlights, then strokes in drawing order. Hidden layers and
 * eraser strokes are not drawn.
 */
export function renderSvg(page: RmPage, opts: RenderSvgOptions = {}): string {
  return renderSizedSvg(page, opts).svg
}

/** renderSvg, with the size of the view it drew. */
export function renderSizedSvg(page: RmPage, opts: RenderSvgOptions = {}): SizedSvg {
  const strokes = page.strokes.filter((stroke) => stroke.visible && chooseStrokeStyle(stroke).kind !== 'eraser')
  const highlights = opts.strokesOnly ? [] : page.highlights.filter((h) => page.layers[h.layer]?.visible !== false)
  const bounds = measureBounds(page, strokes, highlights)
  const half = Math.min(Math.max(page.width, 1), 20_000) / 2
  const { width, height } = cutToAspect(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY, opts.bounds ?? DEFAULT_RENDER_BOUNDS)
  const body = [
    `<rect x="${n(bounds.minX)}" y="${n(bounds.minY)}" width="${n(width)}" height="${n(height)}" fill="#fff"/>`,
    drawHighlights(highlights, half),
    opts.strokesOnly ? '' : drawText(page, half),
    ...strokes.map((stroke) => drawStroke(stroke, half)),
  ].filter((part) => part !== '')
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="${n(bounds.minX)} ${n(bounds.minY)} ${n(width)} ${n(height)}">\n` +
    `${body.join('\n')}\n</svg>\n`
  return { svg, width, height }
}
