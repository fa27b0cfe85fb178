// Reads a small repo file (config.json, model.safetensors.index.json) whole from the URL its hub gives,
// bounded and with its bytes counted. A file over the limit is a typed error (summaries turn it into a
// note); it is never read past the limit.
import { ProtocolError } from '../errors.js'
import { withRetry } from '../retry/with-retry.js'
import { metadataDeadlineMs, withDeadline } from './deadline.js'
import { send, type HubIO } from './get-json.js'
import type { RequestContext } from './error-from-response.js'
import type { ReadMeter } from './hub.js'
import * as transport from './transport.js'

export class FileTooLargeError extends ProtocolError {
  override readonly code = 'FILE_TOO_LARGE'
}

const MAX_REDIRECTS = 3
const ATTEMPTS = 3

export function readSmallFile(io: HubIO, url: string, ctx: RequestContext & { path: string }, limit: number, meter: ReadMeter): Promise<Buffer> {
  return withRetry(() => readOnce(io, url, ctx, limit, meter), { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: ctx.path, path: ctx.path })
}

async function readOnce(io: HubIO, start: string, ctx: RequestContext & { path: string }, limit: number, meter: ReadMeter): Promise<Buffer> {
  let url = start
  for (let hop = 0; ; hop++) {
    meter.requests++
    const from = url
    const answer = await withDeadline(io, from, metadataDeadlineMs(io), async (signal) => {
      const res = await send(io, from, ctx, { signal })
      const location = res.headers.location
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && hop < MAX_REDIRECTS) {
        // An LFS-stored file redirects to the CDN; the Http client leaves the token behind for it.
        await transport.discard(res)
        return { redirect: new URL(location, from).toString() }
      }
      return { body: await readBody(res, from, ctx.path, limit, meter) }
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
    throw new FileTooLargeError(`${path} is ${declared} bytes, over the ${limit}-byte limit for reading it`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of transport.bodyChunks(res, url)) {
    meter.bytes += chunk.length
    size += chunk.length
    if (size > limit) throw new FileTooLargeError(`${path} is over the ${limit}-byte limit for reading it`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
