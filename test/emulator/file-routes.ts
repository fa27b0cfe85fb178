// /{prefix}{id}/resolve|raw/{rev}/{path}: regular files served directly, LFS files redirected to the CDN.
import { gatedStatus, type Caller } from './access.js'
import { commitOr404, entryNotFound, gatedRepo } from './hub-errors.js'
import { sendBuffer, sendFaultStatus, type Exchange } from './reply.js'
import { API_KIND, type Repo } from './repos.js'
import { serveBlob } from './serve-blob.js'
import { signUrl } from './signed-url.js'
import type { HubState } from './state.js'

export async function serveFile(
  state: HubState,
  ex: Exchange,
  repo: Repo,
  caller: Caller,
  mode: 'resolve' | 'raw',
  rev: string | undefined,
  path: string,
): Promise<void> {
  const gated = gatedStatus(repo, caller)
  if (gated) return gatedRepo(state, ex, repo, gated)
  const commit = commitOr404(ex, repo, rev)
  if (!commit) return
  const blob = commit.files.get(path)
  if (!blob) return entryNotFound(ex, commit, path)
  ex.log.filePath = path
  const commitHeader = { 'X-Repo-Commit': commit.sha }

  if (!blob.lfs) {
    return serveBlob(state, ex, { content: blob.content, repoId: repo.id, filePath: path, etag: blob.oid, headers: commitHeader })
  }
  // The LFS answers below do not carry the file's bytes; only faults aimed at the hub reach them.
  const fault = state.faults.take({ origin: 'hub', filePath: path, servesBody: false })
  if (fault?.kind === 'status') return sendFaultStatus(ex, fault)

  if (mode === 'raw') {
    // raw/ shows what git stores: the pointer text.
    return sendBuffer(ex, 200, blob.pointer!, {
      'Content-Type': 'text/plain; charset=utf-8',
      ETag: `"${blob.oid}"`,
      ...commitHeader,
    })
  }
  const filename = path.split('/').pop()!
  const location = signUrl(state.cdnUrl, `/repos/${API_KIND[repo.type]}/${repo.id}/${blob.sha256}`, state.secret, state.options.urlTtlMs, filename)
  // A mirror that proxies resolve drops the linked headers; clients must then learn the size elsewhere.
  const linked = state.options.mirror
    ? {}
    : { 'X-Linked-Etag': `"${blob.sha256}"`, 'X-Linked-Size': String(blob.size), ETag: `"${blob.sha256}"` }
  sendBuffer(ex, 302, '', { Location: location, ...linked, ...commitHeader })
}
