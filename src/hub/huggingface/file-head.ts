// Asks `resolve` where a file's bytes live, without following the redirect: the answer carries the etag
// (blob name in the cache), the real size, the commit, and for LFS files the signed CDN URL.
import { ProtocolError } from '../../errors.js'
import { resolveUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import { withRetry } from '../../retry/with-retry.js'
import { metadataDeadlineMs, withDeadline } from '../deadline.js'
import { send, type HubIO } from '../get-json.js'
import type { FileLocation } from '../hub.js'
import * as transport from '../transport.js'

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/** `W/"abc"` and `"abc"` both name the blob `abc`. */
export function normalizeEtag(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  return raw.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') || undefined
}

const MAX_REDIRECTS = 5

export async function locateFile(io: HubIO, ref: RepoRef, commit: string, path: string): Promise<FileLocation> {
  const ctx = { endpoint: io.http.endpoint, repoId: repoName(ref), revision: commit, path }
  return withRetry(
    async () => {
      let url = resolveUrl(io.http.endpoint, ref, commit, path)
      const endpointOrigin = new URL(io.http.endpoint).origin
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const res = await withDeadline(io, url, metadataDeadlineMs(io), async (signal) => {
          const r = await send(io, url, ctx, { method: 'HEAD', signal })
          await transport.discard(r)
          return r
        })
        const h = res.headers
        const etag = normalizeEtag(first(h['x-linked-etag']) ?? first(h.etag))
        const sizeHeader = first(h['x-linked-size']) ?? (res.statusCode === 200 ? first(h['content-length']) : undefined)
        const size = sizeHeader !== undefined && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined
        const commitHeader = first(h['x-repo-commit'])
        if (res.statusCode >= 300 && res.statusCode < 400) {
          const location = first(h.location)
          if (!location) throw new ProtocolError(`the Hub redirected ${path} without a Location.`)
          const next = new URL(location, url).toString()
          // A relative redirect stays on the Hub (a renamed repo): follow it. Another origin is the CDN:
          // that is where the bytes are, so stop and hand its URL to the fetcher.
          if (new URL(next).origin === endpointOrigin && !h['x-linked-etag']) {
            url = next
            continue
          }
          return { url: next, etag, size, commit: commitHeader }
        }
        return { url, etag, size, commit: commitHeader }
      }
      throw new ProtocolError(`the Hub redirected ${path} more than ${MAX_REDIRECTS} times.`)
    },
    { maxAttempts: 5, signal: io.signal, onRetry: io.onRetry, what: path, path },
  )
}
