// A small stand-in for the service's GraphQL endpoint, for the agent's tests and bench: it speaks the
// agent contract (JSON requests, and GraphQL multipart uploads it parses itself), keeps notebooks and
// page hashes in memory, refuses what the server refuses, records every call, and plays scripted faults.
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export const STUB_TOKEN = 'rmc_test_agent_token_0123456789'
const RM_HEADER = 'reMarkable .lines file, version=6'

export interface RecordedFile {
  field: string
  filename: string
  contentType: string
  bytes: Buffer
  sha256: string
}

export interface RecordedCall {
  /** performance.now() when the request arrived. */
  at: number
  operationName: string
  variables: Record<string, any>
  authorization: string | undefined
  contentType: string
  /** Multipart requests: the part names in the order they came. */
  partNames?: string[]
  map?: unknown
  file?: RecordedFile
  /** What the stub answered: the typename, or `HTTP <status>` / `dropped` for faults. */
  answer: string
}

export interface StubFault {
  /** Only requests of this operation take the fault (default: any). */
  operationName?: string
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** Close the connection without answering (a network error for the client). */
  drop?: boolean
}

export interface StoredNotebook {
  input: Record<string, any>
  pages: Map<string, string>
}

export interface GraphqlStub {
  url: string
  calls: RecordedCall[]
  notebooks: Map<string, StoredNotebook>
  deleted: string[]
  /** Faults are used once each, in order, before normal handling. */
  faults: StubFault[]
  callsOf(operationName: string): RecordedCall[]
  close(): Promise<void>
}

export interface StubOptions {
  /** Files above this are refused with FILE_TOO_LARGE (default 20 MB). */
  maxFileBytes?: number
  acceptedTokens?: string[]
}

export async function startGraphqlStub(options: StubOptions = {}): Promise<GraphqlStub> {
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024
  const tokens = new Set(options.acceptedTokens ?? [STUB_TOKEN])
  const stub: Omit<GraphqlStub, 'url' | 'close'> = {
    calls: [],
    notebooks: new Map(),
    deleted: [],
    faults: [],
    callsOf: (name) => stub.calls.filter((call) => call.operationName === name),
  }

  const server = http.createServer(async (req, res) => {
    const at = performance.now()
    const body = await readBody(req)
    const contentType = req.headers['content-type'] ?? ''
    let call: RecordedCall
    try {
      call = parseRequest(body, contentType, at, req.headers.authorization)
    } catch (err) {
      return send(res, 400, { errors: [{ message: `stub: ${(err as Error).message}` }] })
    }
    stub.calls.push(call)
    const faultIndex = stub.faults.findIndex((f) => !f.operationName || f.operationName === call.operationName)
    if (faultIndex >= 0) {
      const [fault] = stub.faults.splice(faultIndex, 1)
      if (fault.drop) {
        call.answer = 'dropped'
        req.socket.destroy()
        return
      }
      call.answer = `HTTP ${fault.status ?? 200}`
      return send(res, fault.status ?? 200, fault.body ?? { errors: [{ message: 'stub fault' }] }, fault.headers)
    }
    const token = call.authorization?.replace(/^Bearer /, '')
    const authed = token !== undefined && tokens.has(token)
    const result = answer(call, authed)
    call.answer = result.field ? String((result.data as any)[result.field]?.__typename ?? 'null') : 'none'
    send(res, 200, { data: result.data })
  })

  function answer(call: RecordedCall, authed: boolean): { field: string; data: unknown } {
    const input = call.variables.input ?? {}
    const notAuthed = { __typename: 'NotAuthenticatedError', code: 'NOT_AUTHENTICATED', message: 'Sign in, or send an API token' }
    switch (call.operationName) {
      case 'Viewer':
        return { field: 'viewer', data: { viewer: authed ? { __typename: 'User', id: 'VXNlcjox', email: 'ada@example.com' } : null } }
      case 'SyncNotebookMetadata': {
        if (!authed) return { field: 'syncNotebookMetadata', data: { syncNotebookMetadata: notAuthed } }
        const invalid = (input.notebooks as any[]).find((n) => !n.uuid || !n.visibleName || !['NOTEBOOK', 'FOLDER', 'PDF', 'EPUB'].includes(n.type) || (n.type !== 'FOLDER' && !Array.isArray(n.pageUuids)))
        if (invalid) return { field: 'syncNotebookMetadata', data: { syncNotebookMetadata: { __typename: 'ValidationError', code: 'INVALID_INPUT', message: `bad notebook ${invalid.uuid}` } } }
        for (const n of input.notebooks) stub.notebooks.set(n.uuid, { input: n, pages: stub.notebooks.get(n.uuid)?.pages ?? new Map() })
        const notebooks = (input.notebooks as any[]).map((n) => ({ id: `nb:${n.uuid}`, uuid: n.uuid }))
        return { field: 'syncNotebookMetadata', data: { syncNotebookMetadata: { __typename: 'SyncNotebookMetadataPayload', notebooks } } }
      }
      case 'UploadPage': {
        const field = 'uploadPage'
        const fail = (typename: string, code: string, message: string) => ({ field, data: { [field]: { __typename: typename, code, message } } })
        if (!authed) return { field, data: { uploadPage: notAuthed } }
        const notebook = stub.notebooks.get(input.notebookUuid)
        if (!notebook) return fail('NotFoundError', 'NOT_FOUND', 'notebook unknown: sync metadata first')
        const file = call.file
        if (!file) return fail('ValidationError', 'INVALID_INPUT', 'no file part')
        if (file.bytes.length > maxFileBytes) return fail('FileTooLargeError', 'FILE_TOO_LARGE', `file is ${file.bytes.length} bytes; the limit is ${maxFileBytes}`)
        if (!file.bytes.subarray(0, RM_HEADER.length).equals(Buffer.from(RM_HEADER))) return fail('InvalidFileError', 'INVALID_FILE', 'not a reMarkable v6 page')
        const outcome = notebook.pages.get(input.pageUuid) === file.sha256 ? 'UNCHANGED' : 'STORED'
        notebook.pages.set(input.pageUuid, file.sha256)
        const page = { id: `pg:${input.pageUuid}`, uuid: input.pageUuid, fileSha256: file.sha256, ocrStatus: 'pending' }
        return { field, data: { uploadPage: { __typename: 'UploadPagePayload', outcome, page } } }
      }
      case 'DeleteNotebook': {
        if (!authed) return { field: 'deleteNotebook', data: { deleteNotebook: notAuthed } }
        if (!stub.notebooks.delete(input.uuid)) return { field: 'deleteNotebook', data: { deleteNotebook: { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'no such notebook' } } }
        stub.deleted.push(input.uuid)
        return { field: 'deleteNotebook', data: { deleteNotebook: { __typename: 'DeleteNotebookPayload' } } }
      }
      default:
        return { field: '', data: null }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ...stub,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  } as GraphqlStub
}

function parseRequest(body: Buffer, contentType: string, at: number, authorization: string | undefined): RecordedCall {
  if (contentType.startsWith('application/json')) {
    const json = JSON.parse(body.toString('utf8'))
    return { at, operationName: json.operationName, variables: json.variables ?? {}, authorization, contentType, answer: '' }
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  if (!contentType.startsWith('multipart/form-data') || !boundary) throw new Error(`unexpected content-type ${contentType}`)
  const parts = parseMultipart(body, boundary[1] ?? boundary[2])
  const operations = JSON.parse(parts.find((p) => p.name === 'operations')!.data.toString('utf8'))
  const map = JSON.parse(parts.find((p) => p.name === 'map')!.data.toString('utf8'))
  const filePart = parts.find((p) => p.filename !== undefined)
  const file = filePart
    ? { field: filePart.name, filename: filePart.filename!, contentType: filePart.contentType, bytes: filePart.data, sha256: createHash('sha256').update(filePart.data).digest('hex') }
    : undefined
  return { at, operationName: operations.operationName, variables: operations.variables ?? {}, authorization, contentType: 'multipart/form-data', partNames: parts.map((p) => p.name), map, file, answer: '' }
}

interface Part {
  name: string
  filename?: string
  contentType: string
  data: Buffer
}

function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: Part[] = []
  let start = body.indexOf(delimiter)
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break
    const next = body.indexOf(delimiter, afterDelimiter)
    if (next < 0) throw new Error('unterminated multipart body')
    const chunk = body.subarray(afterDelimiter + 2, next - 2) // skip the CRLF after the delimiter and before the next
    const headerEnd = chunk.indexOf('\r\n\r\n')
    const headers = chunk.subarray(0, headerEnd).toString('utf8')
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? ''
    parts.push({
      name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '',
      filename: /filename="([^"]*)"/.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'text/plain',
      data: Buffer.from(chunk.subarray(headerEnd + 4)),
    })
    start = next
  }
  return parts
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
