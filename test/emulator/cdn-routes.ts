// The CDN origin: /repos/{kind}/{id}/{sha256}?expires&sig. It never looks at Authorization (the request
// log keeps it, so tests can assert it never arrives here).
import { sendAccessDenied, sendBuffer, sendJson, type Exchange } from './reply.js'
import { API_KIND } from './repos.js'
import { serveBlob } from './serve-blob.js'
import { verifyUrl } from './signed-url.js'
import type { HubState } from './state.js'

function noSuchKey(ex: Exchange): void {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>'
  sendBuffer(ex, 404, xml, { 'Content-Type': 'application/xml' })
}

export async function handleCdn(state: HubState, ex: Exchange): Promise<void> {
  if (ex.req.method !== 'GET' && ex.req.method !== 'HEAD') return sendJson(ex, 405, { error: 'Method not allowed' })
  const m = /^\/repos\/(models|datasets|spaces)\/(.+)\/([0-9a-f]{64})$/.exec(ex.url.pathname)
  if (!m) return noSuchKey(ex)
  if (!verifyUrl(ex.url, state.secret)) return sendAccessDenied(ex)
  const [, kind, id, sha256] = m as unknown as [string, string, string, string]
  const repo = [...state.repos.values()].find((r) => API_KIND[r.type] === kind && r.id === id)
  const stored = repo?.lfsBlobs.get(sha256)
  if (!repo || !stored) return noSuchKey(ex)
  ex.log.repoId = repo.id
  ex.log.filePath = stored.path
  await serveBlob(state, ex, {
    content: stored.blob.content,
    repoId: repo.id,
    filePath: stored.path,
    etag: sha256,
    // Encoded, because the filename parameter is not covered by the signature and may hold anything.
    headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(ex.url.searchParams.get('filename') ?? sha256)}` },
  })
}
