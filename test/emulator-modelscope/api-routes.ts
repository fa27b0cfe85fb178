// The ModelScope API origin: revisions, file listings (models in one answer, datasets by page), and file
// bytes (small files served here, LFS files redirected to the OSS origin with a signed URL). Answers use
// ModelScope's envelope {Code, Message, Data, Success, RequestId}; the error Codes are made up (the real
// ones are not documented), the shapes and statuses follow the modelscope library's expectations.
import type { OutgoingHttpHeaders } from 'node:http'
import { sendBuffer, sendFaultStatus, sendJson, type Exchange } from '../emulator/reply.js'
import { serveBlob } from '../emulator/serve-blob.js'
import { signUrl } from '../emulator/signed-url.js'
import type { HubState } from '../emulator/state.js'
import type { Repo } from './repos.js'

export interface MsState {
  hub: HubState
  repos: Map<string, Repo>
  tokens: Map<string, string[] | '*'>
}

function ok(ex: Exchange, data: unknown): void {
  sendJson(ex, 200, { Code: 200, Data: data, Message: 'success', RequestId: 'emu', Success: true })
}

function fail(ex: Exchange, status: number, code: number, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendJson(ex, status, { Code: code, Message: message, RequestId: 'emu', Success: false }, headers)
}

/** The token from `Authorization: Bearer` or the library's `m_session_id` cookie. */
function callerToken(ex: Exchange): string | undefined {
  const auth = ex.req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length)
  return /(?:^|;\s*)m_session_id=([^;]+)/.exec(ex.req.headers.cookie ?? '')?.[1]
}

/** The repo, or an answer saying why not: a private repo reads as forbidden without a granted token. */
function repoFor(state: MsState, ex: Exchange, type: 'model' | 'dataset', id: string): Repo | undefined {
  const repo = state.repos.get(`${type}:${id}`)
  if (!repo) {
    fail(ex, 404, 10010101003, `${type} ${id} not exist`)
    return undefined
  }
  if (repo.private) {
    const grant = state.tokens.get(callerToken(ex) ?? '')
    if (!grant || (grant !== '*' && !grant.includes(id))) {
      fail(ex, 403, 10010101004, `get ${type} info failed, err: unauthorized permission`)
      return undefined
    }
  }
  ex.log.repoId = id
  return repo
}

async function serveFile(state: MsState, ex: Exchange, repo: Repo): Promise<void> {
  const rev = ex.url.searchParams.get('Revision') ?? 'master'
  const path = ex.url.searchParams.get('FilePath') ?? ''
  const blob = repo.at(rev)?.files.get(path)
  if (!blob) return fail(ex, 404, 10990101007, `file ${path} not exist at revision ${rev}`)
  ex.log.filePath = path
  if (!blob.lfs) {
    return serveBlob(state.hub, ex, { content: blob.content, repoId: repo.id, filePath: path, etag: blob.sha256, headers: {} })
  }
  const fault = state.hub.faults.take({ origin: 'hub', filePath: path, servesBody: false })
  if (fault?.kind === 'status') return sendFaultStatus(ex, fault)
  const kind = repo.type === 'dataset' ? 'datasets' : 'models'
  const location = signUrl(state.hub.cdnUrl, `/oss/${kind}/${repo.id}/${blob.sha256}`, state.hub.secret, state.hub.options.urlTtlMs, path.split('/').pop()!)
  sendBuffer(ex, 302, '', { Location: location })
}

export async function handleApi(state: MsState, ex: Exchange): Promise<void> {
  if (ex.req.method !== 'GET') return fail(ex, 405, 405, 'method not allowed')
  const p = ex.url.pathname
  let m: RegExpExecArray | null
  if ((m = /^\/api\/v1\/models\/([^/]+\/[^/]+)\/revisions$/.exec(p))) {
    const repo = repoFor(state, ex, 'model', decodeURIComponent(m[1]!))
    if (!repo) return
    const entry = (name: string) => ({ Revision: name, CreatedAt: 1_700_000_000, CreatedBy: 'emu' })
    return ok(ex, { RevisionMap: { Branches: [...repo.branches.keys()].map(entry), Tags: [...repo.tags.keys()].map(entry) } })
  }
  if ((m = /^\/api\/v1\/models\/([^/]+\/[^/]+)\/repo\/files$/.exec(p))) {
    const repo = repoFor(state, ex, 'model', decodeURIComponent(m[1]!))
    if (!repo) return
    const rev = ex.url.searchParams.get('Revision') ?? 'master'
    // As measured on modelscope.cn: an unknown revision is a success with a null list.
    return ok(ex, { Files: repo.at(rev) ? repo.listing(rev) : null })
  }
  if ((m = /^\/api\/v1\/(models|datasets)\/([^/]+\/[^/]+)\/repo$/.exec(p))) {
    const repo = repoFor(state, ex, m[1] === 'datasets' ? 'dataset' : 'model', decodeURIComponent(m[2]!))
    if (!repo) return
    return serveFile(state, ex, repo)
  }
  if ((m = /^\/api\/v1\/datasets\/(\d+)\/repo\/tree$/.exec(p))) {
    const repo = [...state.repos.values()].find((r) => r.type === 'dataset' && r.hubId === Number(m![1]))
    if (!repo) return fail(ex, 404, 10010101003, 'dataset not exist')
    if (!repoFor(state, ex, 'dataset', repo.id)) return
    const rev = ex.url.searchParams.get('Revision') ?? 'master'
    if (!repo.at(rev)) return ok(ex, { Files: null })
    const page = Number(ex.url.searchParams.get('PageNumber') ?? 1)
    const size = Number(ex.url.searchParams.get('PageSize') ?? 100)
    const files = repo.listing(rev)
    return ok(ex, { Files: files.slice((page - 1) * size, page * size) })
  }
  if ((m = /^\/api\/v1\/datasets\/([^/]+\/[^/]+)$/.exec(p))) {
    const repo = repoFor(state, ex, 'dataset', decodeURIComponent(m[1]!))
    if (!repo) return
    return ok(ex, { Id: repo.hubId, Type: 0, Name: repo.id.split('/')[1] })
  }
  fail(ex, 404, 404, 'not found')
}
