// Fetches a small JSON file of the repo (config.json, model.safetensors.index.json) at one commit, bounded,
// with its bytes counted. A file that is missing, too large or not JSON is a typed error the summary turns
// into a note; it is never read past the limit.
import { ProtocolError } from '../errors.js'
import { locateFile } from '../hub/file-head.js'
import { metadataDeadlineMs, withDeadline } from '../hub/deadline.js'
import { send, type HubIO } from '../hub/get-json.js'
import * as transport from '../hub/transport.js'
import { resolveUrl } from '../repo/hub-urls.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { withRetry } from '../retry/with-retry.js'
import type { ReadMeter } from './range-read.js'

export class BadJsonFileError extends ProtocolError {
  override readonly code = 'BAD_JSON_FILE'
}

const MAX_REDIRECTS = 3

export async function readRepoJson(io: HubIO, ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<unknown> {
  const raw = await withRetry(() => fetchBounded(io, ref, commit, path, limit, meter), {
    maxAttempts: 3,
    signal: io.signal,
    onRetry: io.onRetry,
    what: path,
    path,
  })
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new BadJsonFileError(`${path} is not valid JSON`)
  }
}

async function fetchBounded(io: HubIO, ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<Buffer> {
  const ctx = { endpoint: io.http.endpoint, repoId: ref.id, revision: commit, path }
  // Another hub (ModelScope) says where its files are; the Hub's resolve URL is the place otherwise.
  let url = io.backend ? (await locateFile(io, ref, commit, path)).url : resolveUrl(io.http.endpoint, ref, commit, path)
  for (let hop = 0; ; hop++) {
    meter.requests++
    const from = url
    const answer = await withDeadline(io, from, metadataDeadlineMs(io), async (signal) => {
      const res = await send(io, from, ctx, { signal })
      const location = res.headers.location
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && hop < MAX_REDIRECTS) {
        // An LFS-stored JSON file redirects to the CDN; the Http client leaves the token behind for it.
        await transport.discard(res)
        return { redirect: new URL(location, from).toString() }
      }
      return { body: await readBody(res, from, path, limit, meter) }
    })
    if (answer.redirect !== undefined) {
      url = answer.redirect
      continue
    }
    return answer.body!
  }
}

async function readBody(res: Awaited<ReturnType<typeof send>>, url: string, path: string, limit: number, meter: ReadMeter): Promise<Buffer> {
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy()
    throw new BadJsonFileError(`${path} is ${declared} bytes, over the ${limit}-byte limit for reading it`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of transport.bodyChunks(res, url)) {
    meter.bytes += chunk.length
    size += chunk.length
    if (size > limit) throw new BadJsonFileError(`${path} is over the ${limit}-byte limit for reading it`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
