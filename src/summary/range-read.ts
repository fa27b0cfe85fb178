// One small ranged GET for `hfx info`: the few bytes of a file's header, never more than asked for. A server
// that ignores Range answers 200 with the whole file (possibly hundreds of GB), so the body is cut off at the
// range's length instead of being read to the end; a 206 must start where we asked.
import type { Dispatcher } from 'undici'
import { HttpStatusError, NetworkError, ProtocolError } from '../errors.js'
import { errorFromResponse } from '../hub/error-from-response.js'
import { metadataDeadlineMs, withDeadline } from '../hub/deadline.js'
import type { HubIO } from '../hub/get-json.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { withRetry } from '../retry/with-retry.js'
import { parseContentRange } from '../pull/chunks.js'

/** Body bytes received, and requests sent, while building a summary. */
export interface ReadMeter {
  bytes: number
  requests: number
}

export interface RangeSource {
  url: string
  /** For errors from the Hub origin: which repo and file they are about. */
  repoId: string
  path: string
  commit: string
}

const ATTEMPTS = 3

/** Bytes [start, end) of the file, or fewer when the file ends first. */
export function readRange(io: HubIO, src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer> {
  return withRetry(
    () => withDeadline(io, src.url, metadataDeadlineMs(io, end - start), (signal) => readOnce(io, src, start, end, meter, signal)),
    { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: src.path },
  )
}

async function readOnce(io: HubIO, src: RangeSource, start: number, end: number, meter: ReadMeter, signal: AbortSignal): Promise<Buffer> {
  let res: Dispatcher.ResponseData
  meter.requests++
  try {
    res = await io.http.request(src.url, { headers: { range: `bytes=${start}-${end - 1}` }, signal })
  } catch (err) {
    if (signal.aborted) throw err
    throw new NetworkError(redactUrl(src.url), (err as { code?: string }).code ?? (err as Error).message, { cause: err })
  }
  if (res.statusCode !== 206 && res.statusCode !== 200) {
    await res.body.dump().catch(() => {})
    if (new URL(src.url).origin === new URL(io.http.endpoint).origin) {
      throw errorFromResponse(
        { status: res.statusCode, headers: res.headers, url: src.url },
        { endpoint: io.http.endpoint, repoId: src.repoId, revision: src.commit, path: src.path, tokenSource: io.http.token?.source },
        serverWaitMs(res.headers),
      )
    }
    throw new HttpStatusError(res.statusCode, redactUrl(src.url), undefined, serverWaitMs(res.headers))
  }
  if (res.statusCode === 200 && start !== 0) {
    res.body.destroy()
    throw new ProtocolError(`the server ignored the Range request for ${src.path}.`)
  }
  if (res.statusCode === 206) {
    const cr = parseContentRange(res.headers['content-range'] as string | undefined)
    if (!cr || cr.start !== start || cr.end > end) {
      res.body.destroy()
      throw new ProtocolError(`the server answered bytes ${res.headers['content-range'] ?? '(none)'} of ${src.path} when asked for ${start}-${end - 1}.`)
    }
  }
  const want = end - start
  const chunks: Buffer[] = []
  let got = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      meter.bytes += chunk.length
      const take = Math.min(chunk.length, want - got)
      chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take))
      got += take
      if (got >= want) {
        // A 200 carries the rest of the file after our range: stop here rather than read it.
        res.body.destroy()
        break
      }
    }
  } catch (err) {
    // A connection that broke mid-body is a network failure (retried by readRange), not a bug.
    throw new NetworkError(redactUrl(src.url), (err as { code?: string }).code ?? (err as Error).message, { cause: err })
  }
  return Buffer.concat(chunks, got)
}
