// The object-storage origin LFS downloads are redirected to: /oss/{models|datasets}/{id}/{sha256}?expires&sig.
// It never looks at Authorization (the request log keeps it, so tests can assert it never arrives here).
import { sendAccessDenied, sendBuffer, type Exchange } from '../emulator/reply.js'
import { serveBlob } from '../emulator/serve-blob.js'
import { verifyUrl } from '../emulator/signed-url.js'
import type { MsState } from './api-routes.js'

export async function handleOss(state: MsState, ex: Exchange): Promise<void> {
  const m = /^\/oss\/(models|datasets)\/(.+)\/([0-9a-f]{64})$/.exec(ex.url.pathname)
  if (!m || (ex.req.method !== 'GET' && ex.req.method !== 'HEAD')) return sendBuffer(ex, 404, 'NoSuchKey', { 'Content-Type': 'text/plain' })
  if (!verifyUrl(ex.url, state.hub.secret)) return sendAccessDenied(ex)
  const [, kind, id, sha] = m as unknown as [string, string, string, string]
  const repo = state.repos.get(`${kind === 'datasets' ? 'dataset' : 'model'}:${id}`)
  const found = repo && [...repo.branches.values(), ...repo.tags.values()].flatMap((c) => [...c.files]).find(([, b]) => b.sha256 === sha)
  if (!repo || !found) return sendBuffer(ex, 404, 'NoSuchKey', { 'Content-Type': 'text/plain' })
  const [path, blob] = found
  ex.log.repoId = repo.id
  ex.log.filePath = path
  await serveBlob(state.hub, ex, { content: blob.content, repoId: repo.id, filePath: path, etag: sha, headers: {} })
}
