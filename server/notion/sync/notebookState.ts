// What the sync remembers of a notebook in Notion, kept in its sync records' metadata_json: the
// notebook record holds the page, its anchor block, the order of sections and any write in flight;
// each page_text record holds its section's blocks (ids and signatures).
import type { StoredBlock } from './sectionDiff.ts'

/** A write sent to Notion whose answer was not recorded yet (a crash, a 504 after the write). */
export type WriteIntent =
  | { kind: 'create_page'; at: string }
  | {
      kind: 'append'
      parentId: string
      after: string | null
      /** The blocks sent, in order: where each belongs and how to recognise it in Notion's answer. */
      entries: { section: number | 'anchor'; index: number; shallow: string; sig: string; type: string; kids: boolean }[]
      at: string
    }

export interface NotebookState {
  pageId: string | null
  anchorId: string | null
  /** Page ids (ours) of the sections in Notion, in Notion's order. */
  sections: number[]
  intent: WriteIntent | null
  /** Hash of the notebook properties last written (Last Synced excluded). */
  propertiesHash: string | null
  /**
   * The database was searched for a page of this notebook made elsewhere (its `UUID` property, as the
   * Python rmirror-cloud service writes it), once, before our first page: never again after that.
   */
  lookedForPage: boolean
}

export interface SectionState {
  blocks: StoredBlock[]
  /** Ids of nested blocks learned by reading children, by path ("3.0"). */
  nested: Record<string, string>
}

export const EMPTY_NOTEBOOK_STATE: NotebookState = { pageId: null, anchorId: null, sections: [], intent: null, propertiesHash: null, lookedForPage: false }

export function readNotebookState(json: string | null): NotebookState {
  if (!json) return { ...EMPTY_NOTEBOOK_STATE, sections: [] }
  try {
    const o = JSON.parse(json)
    return {
      pageId: typeof o.pageId === 'string' ? o.pageId : null,
      anchorId: typeof o.anchorId === 'string' ? o.anchorId : null,
      sections: Array.isArray(o.sections) ? o.sections.filter((n: unknown) => typeof n === 'number') : [],
      intent: o.intent && typeof o.intent === 'object' ? o.intent : null,
      propertiesHash: typeof o.propertiesHash === 'string' ? o.propertiesHash : null,
      // A state written before the search existed, with a page, has no page to look for.
      lookedForPage: o.lookedForPage === true || typeof o.pageId === 'string',
    }
  } catch {
    return { ...EMPTY_NOTEBOOK_STATE, sections: [] }
  }
}

export function readSectionState(json: string | null): SectionState {
  if (!json) return { blocks: [], nested: {} }
  try {
    const o = JSON.parse(json)
    const blocks = Array.isArray(o.blocks) ? o.blocks.filter((b: any) => b && typeof b.id === 'string' && typeof b.sig === 'string') : []
    return { blocks, nested: o.nested && typeof o.nested === 'object' ? o.nested : {} }
  } catch {
    return { blocks: [], nested: {} }
  }
}
