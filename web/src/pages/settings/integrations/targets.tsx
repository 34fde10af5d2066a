// Every target the integrations page shows, in order. Adding one is a card component built
// on TargetCard and a line here; the page itself does not change.
import type { ReactNode } from 'react'
import { NotionCard } from './NotionCard.tsx'
import { ObsidianCard } from './ObsidianCard.tsx'
import { ReadwiseCard } from './ReadwiseCard.tsx'

export interface TargetEntry {
  /** The IntegrationTarget value. */
  target: string
  render: () => ReactNode
}

export const TARGET_CARDS: TargetEntry[] = [
  { target: 'NOTION', render: () => <NotionCard /> },
  { target: 'READWISE', render: () => <ReadwiseCard /> },
  { target: 'OBSIDIAN', render: () => <ObsidianCard /> },
]
