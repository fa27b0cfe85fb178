// One small ranged GET for `hfx info`: the few bytes of a file's header, never more than asked for. A server
// that ignores Range answers 200 with the whole file (possibly hundreds of GB), so the body is cut off at the
// range's length instead of being read to the end; the answer passes hub/range-answer.ts's checklist.
import { fileAnswerError } from './error-from-response.js'
import { checkRangeAnswer } from './range-answer.js'
import * as transport from './transport.js'
import { metadataDeadlineMs, withDeadline } from './deadline.js'
import type { HubIO } from './get-json.js'
import type { RangeSource, ReadMeter } from './hub.js'
import { serverWaitMs } from '../retry/policy.js'
import { withRetry } from '../retry/with-retry.js'

const ATTEMPTS = 3

/** Bytes [start, end) of the file, or fewer when the file ends first. */
export function readRange(io: HubIO, src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer> {
  return withRetry(
    () => withDeadline(io, src.url, metadataDeadlineMs(io, end - start), (signal) => readOnce(io, src, start, end, meter, signal)),
    { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: src.path, path: src.path },
  )
}

async function readOnce(io: HubIO, src: RangeSource, start: number, end: number, meter: ReadMeter, signal: AbortSignal): Promise<Buffer> {
  meter.requests++
  const res = await transport.send(io.http, src.url, { headers: { range: `bytes=${start}-${end - 1}` }, signal })
  if (res.statusCode !== 206 && res.statusCode !== 200) {
    await transport.discard(res)
    throw fileAnswerError({ status: res.statusCode, headers: res.headers, url: src.url }, src, io.http.endpoint, io.http.token?.source, serverWaitMs(res.headers))
  }
  // A 200 from byte 0 will do: only the asked bytes are read (below), the rest of the file never is.
  const wrong = checkRangeAnswer({ status: res.statusCode, headers: res.headers, asked: { start, end }, wholeFileOk: true, path: src.path })
  if (wrong) {
    res.body.destroy()
    throw wrong
  }
  const want = end - start
  const chunks: Buffer[] = []
  let got = 0
  for await (const chunk of transport.bodyChunks(res, src.url)) {
    meter.bytes += chunk.length
    const take = Math.min(chunk.length, want - got)
    chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take))
    got += take
    // A 200 carries the rest of the file after our range: stop here rather than read it (leaving the loop closes the body).
    if (got >= want) break
  }
  return Buffer.concat(chunks, got)
}
