// A Readwise client that sends nothing: it records the exact requests a sync would make, answering
// with placeholder ids, so dry run can show the plan (syncPreview) without touching Readwise.
import type { PlannedRequest } from '../sync/syncTarget.ts'
import type { ReadwiseClient } from './readwiseClient.ts'

export function makeReadwiseDryRun(): { client: ReadwiseClient; requests: PlannedRequest[] } {
  const requests: PlannedRequest[] = []
  let next = 0
  const client: ReadwiseClient = {
    async checkToken() {
      requests.push({ method: 'GET', path: '/api/v2/auth/' })
    },
    async createHighlights(highlights) {
      requests.push({ method: 'POST', path: '/api/v2/highlights/', body: { highlights } })
      const texts = [...new Set(highlights.map((h) => h.text))]
      const first = highlights[0]
      return [{ id: 0, title: first?.title ?? '', author: first?.author ?? null, modified_highlights: texts.map(() => ++next) }]
    },
    async updateHighlight(id, update) {
      requests.push({ method: 'PATCH', path: `/api/v2/highlights/${id}/`, body: update })
    },
    async deleteHighlight(id) {
      requests.push({ method: 'DELETE', path: `/api/v2/highlights/${id}/` })
    },
  }
  return { client, requests }
}
