// Bounds on the size of a rendered page. Width and height limits alone let a thin, tall page (100 ×
// 20000) through, and asking for it 1404 pixels wide scales it to 1404 × 280000: 1.5 GB of pixels.
// Every render is cut to a height-to-width ratio and scaled down to a pixel budget instead.

export interface RenderBounds {
  /** Most pixels of one image (width × height). */
  maxPixels: number
  /** Most ratio of the longer side to the shorter; a longer page is cut to it (from the top left). */
  maxAspect: number
}

/** 16 million pixels (64 MB of RGBA); a 1:8 ratio still shows a page scrolled to five screens. */
export const DEFAULT_RENDER_BOUNDS: RenderBounds = { maxPixels: 16_000_000, maxAspect: 8 }

/** The view (tablet pixels) cut to the ratio the bounds allow. */
export function cutToAspect(width: number, height: number, bounds: RenderBounds): { width: number; height: number } {
  const aspect = Math.max(bounds.maxAspect, 1)
  return { width: Math.min(width, height * aspect), height: Math.min(height, width * aspect) }
}

/** The output size for a view of `width` × `height` asked `requestedWidth` wide (default: as is), within the pixel budget. */
export function fitOutputSize(width: number, height: number, requestedWidth: number | undefined, bounds: RenderBounds): { width: number; height: number } {
  let outWidth = requestedWidth ?? width
  let outHeight = (outWidth * height) / width
  const pixels = outWidth * outHeight
  if (pixels > bounds.maxPixels) {
    const shrink = Math.sqrt(bounds.maxPixels / pixels)
    outWidth *= shrink
    outHeight *= shrink
  }
  // The rasteriser rounds the height up: narrow the width until that still fits the budget.
  let fittedWidth = Math.max(1, Math.floor(outWidth))
  const heightOf = (w: number) => Math.max(1, Math.ceil((w * height) / width))
  while (fittedWidth > 1 && fittedWidth * heightOf(fittedWidth) > bounds.maxPixels) fittedWidth--
  return { width: fittedWidth, height: heightOf(fittedWidth) }
}
