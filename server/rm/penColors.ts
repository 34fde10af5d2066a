export type Rgba = [number, number, number, number]

/** Colour names by id, lowercase as rmscene's PenColor enum names them. */
const COLOR_NAMES = [
  'black',
  'gray',
  'white',
  'yellow',
  'green',
  'pink',
  'blue',
  'red',
  'gray_overlap',
  'highlight', // highlighter/shader colour; the real colour is the item's own RGBA
  'green_2',
  'cyan',
  'magenta',
  'yellow_2',
] as const

export const HIGHLIGHT_COLOR_ID = 9

/** Ink colours for pens. */
const PEN_RGBA: Record<number, Rgba> = {
  0: [0, 0, 0, 255],
  1: [128, 128, 128, 255],
  2: [255, 255, 255, 255],
  3: [250, 231, 25, 255],
  4: [0, 160, 60, 255],
  5: [230, 100, 160, 255],
  6: [48, 74, 224, 255],
  7: [194, 49, 50, 255],
  8: [125, 125, 125, 255],
  9: [255, 237, 117, 255],
  10: [145, 218, 113, 255],
  11: [116, 210, 232, 255],
  12: [192, 127, 210, 255],
  13: [250, 231, 25, 255],
}

/**
 * Highlighter colours, for highlights that carry only a colour id (older files). The
 * values are those newer files store explicitly for the same highlighter colours.
 */
const HIGHLIGHTER_RGBA: Record<number, Rgba> = {
  1: [199, 199, 198, 255],
  3: [255, 237, 117, 255],
  4: [172, 255, 133, 255],
  5: [242, 158, 255, 255],
  6: [190, 234, 254, 255],
  8: [199, 199, 198, 255],
  9: [255, 237, 117, 255],
  10: [172, 255, 133, 255],
  11: [190, 234, 254, 255],
  12: [242, 158, 255, 255],
  13: [255, 237, 117, 255],
}

/** Lowercase colour name; ids newer than this reader become `unknown_<id>`. */
export function nameColor(colorId: number): string {
  return COLOR_NAMES[colorId] ?? `unknown_${colorId}`
}

export function resolvePenRgba(colorId: number, explicit?: Rgba): Rgba {
  return explicit ?? PEN_RGBA[colorId] ?? [0, 0, 0, 255]
}

export function resolveHighlighterRgba(colorId: number, explicit?: Rgba): Rgba {
  return explicit ?? HIGHLIGHTER_RGBA[colorId] ?? HIGHLIGHTER_RGBA[HIGHLIGHT_COLOR_ID]
}
