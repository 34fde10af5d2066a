// A NotionPort that sends nothing: it records the exact requests a sync would make, answering with
// placeholder ids, so dry run can show the plan (syncPreview) without touching Notion.
import type { PlannedRequest } from '../../sync/syncTarget.ts'
import type { NotionPort } from './notionPort.ts'

export function makeDryRunPort(): { port: NotionPort; requests: PlannedRequest[] } {
  const requests: PlannedRequest[] = []
  let next = 0
  const newId = () => `dry-run-${String(++next).padStart(4, '0')}`
  const port: NotionPort = {
    async createPage(args) {
      requests.push({ method: 'POST', path: '/v1/pages', body: args })
      return { id: newId() }
    },
    async updatePage(pageId, args) {
      requests.push({ method: 'PATCH', path: `/v1/pages/${pageId}`, body: args })
    },
    async queryByUuid(dataSourceId, uuidProperty, uuid) {
      requests.push({ method: 'POST', path: `/v1/data_sources/${dataSourceId}/query`, body: { filter: { property: uuidProperty, rich_text: { equals: uuid } } } })
      return []
    },
    async retrieveDataSource(id) {
      requests.push({ method: 'GET', path: `/v1/data_sources/${id}` })
      return { properties: {} }
    },
    async retrieveDatabase(id) {
      requests.push({ method: 'GET', path: `/v1/databases/${id}` })
      return { data_sources: [] }
    },
    async append(parentId, children, after) {
      requests.push({ method: 'PATCH', path: `/v1/blocks/${parentId}/children`, body: { children, ...(after ? { after } : {}) } })
      return { results: children.map(() => ({ id: newId() })) }
    },
    async listChildren(blockId) {
      requests.push({ method: 'GET', path: `/v1/blocks/${blockId}/children` })
      return { results: [], next_cursor: null, has_more: false }
    },
    async updateBlock(blockId, body) {
      requests.push({ method: 'PATCH', path: `/v1/blocks/${blockId}`, body })
    },
    async deleteBlock(blockId) {
      requests.push({ method: 'DELETE', path: `/v1/blocks/${blockId}` })
    },
  }
  return { port, requests }
}
