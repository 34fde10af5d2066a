/** Tool names by id, lowercase as rmscene's Pen enum names them (its spelling "caligraphy" kept). */
const TOOL_NAMES: Record<number, string> = {
  0: 'paintbrush_1',
  1: 'pencil_1',
  2: 'ballpoint_1',
  3: 'marker_1',
  4: 'fineliner_1',
  5: 'highlighter_1',
  6: 'eraser',
  7: 'mechanical_pencil_1',
  8: 'eraser_area',
  12: 'paintbrush_2',
  13: 'mechanical_pencil_2',
  14: 'pencil_2',
  15: 'ballpoint_2',
  16: 'marker_2',
  17: 'fineliner_2',
  18: 'highlighter_2',
  21: 'caligraphy',
  23: 'shader',
}

/** What a tool does on the page, which decides how it is drawn. */
export type ToolKind =
  | 'ballpoint'
  | 'fineliner'
  | 'marker'
  | 'pencil'
  | 'mechanical_pencil'
  | 'paintbrush'
  | 'calligraphy'
  | 'highlighter'
  | 'shader'
  | 'eraser'
  | 'unknown'

export function nameTool(toolId: number): string {
  return TOOL_NAMES[toolId] ?? `unknown_${toolId}`
}

export function classifyTool(toolId: number): ToolKind {
  const name = TOOL_NAMES[toolId]
  if (name === undefined) return 'unknown'
  if (name === 'caligraphy') return 'calligraphy'
  if (name === 'eraser_area') return 'eraser'
  return name.replace(/_\d$/, '') as ToolKind
}

/** Highlighter and shader lay translucent colour; they are not handwriting. */
export function isTranslucentTool(kind: ToolKind): boolean {
  return kind === 'highlighter' || kind === 'shader'
}
