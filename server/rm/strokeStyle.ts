import { classifyTool, isTranslucentTool, type ToolKind } from './pens.ts'
import type { Rgba, RmPoint, RmStroke } from './types.ts'

/**
 * How a stroke is drawn. Widths come from the points themselves (the tablet stores the
 * drawn width per point, in quarter pixels), so each tool's shape is already in the data;
 * what the tool adds is the cap, the translucency and how pressure shades the ink.
 */
export interface StrokeStyle {
  kind: ToolKind
  translucent: boolean
  linecap: 'round' | 'square' | 'butt'
  /** 0–1 opacity for translucent tools (drawn as one shape, multiplied onto the page). */
  opacity: number
}

export function chooseStrokeStyle(stroke: RmStroke): StrokeStyle {
  const kind = classifyTool(stroke.toolId)
  if (kind === 'highlighter') return { kind, translucent: true, linecap: 'butt', opacity: 0.45 }
  if (kind === 'shader') {
    const alpha = stroke.rgba[3]
    return { kind, translucent: true, linecap: 'round', opacity: alpha > 0 && alpha < 255 ? alpha / 255 : 0.3 }
  }
  return { kind, translucent: isTranslucentTool(kind), linecap: 'round', opacity: 1 }
}

/** Drawn width in pixels at one point. */
export function measurePointWidth(point: RmPoint, stroke: RmStroke): number {
  const width = point.width > 0 && Number.isFinite(point.width) ? point.width / 4 : stroke.thicknessScale * 2
  return Math.min(Math.max(Number.isFinite(width) ? width : 2, 0.5), 200)
}

function clamp01(value: number): number {
  return Math.min(Math.max(value, 0), 1)
}

/**
 * Ink colour at one point. Pencils and brushes lay less ink under light pressure; that is
 * drawn as a lighter colour rather than transparency, so overlapping round joints of one
 * stroke do not show as darker dots.
 */
export function shadeInk(rgba: Rgba, point: RmPoint, kind: ToolKind): [number, number, number] {
  const pressure = clamp01(point.pressure / 255)
  let strength = 1
  if (kind === 'pencil' || kind === 'mechanical_pencil') strength = 0.35 + 0.65 * pressure
  else if (kind === 'paintbrush') strength = 0.5 + 0.5 * pressure
  else if (kind === 'ballpoint') strength = 0.75 + 0.25 * pressure
  strength = Math.round(strength * 8) / 8 // coarse steps keep the number of SVG segments down
  const mix = (channel: number) => Math.round(255 - (255 - channel) * strength)
  return [mix(rgba[0]), mix(rgba[1]), mix(rgba[2])]
}
