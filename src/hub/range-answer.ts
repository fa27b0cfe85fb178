// The one checklist for an answer to a Range request, used by the download (pull/range-request.ts, to disk)
// and by `hfx info`'s header reads (hub/range-read.ts, to memory). undici's RetryHandler keeps its
// checks in one place for the same reason: two copies drifted apart here once (they disagreed about a 200).
// Pure: status and headers in, a verdict out.
import { ProtocolError } from '../errors.js'

/** The server answered 200 to a Range request: its body starts at byte 0, whatever we asked. */
export class RangeIgnoredError extends ProtocolError {
  override readonly code = 'RANGE_IGNORED'
}

export interface RangeAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The bytes asked for, [start, end). */
  asked: { start: number; end: number }
  /**
   * A 200 (the whole file from byte 0) will do when we asked from byte 0: the reader takes only the bytes
   * it asked for and stops (a header read), or it asked for the whole file anyway (a one-connection
   * download). A download of one chunk among several cannot use it: the rest of the body is another chunk's.
   */
  wholeFileOk: boolean
  /** The file's name, for messages. */
  path: string
}

function header(h: RangeAnswer['headers'], name: string): string | undefined {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

/** "bytes 0-99/1000" → [0, 100) of 1000; anything else (or an empty range) → undefined. */
export function parseContentRange(value: string | undefined): { start: number; end: number; total?: number } | undefined {
  const m = value && /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim())
  if (!m) return undefined
  const start = Number(m[1])
  const end = Number(m[2]) + 1
  if (end <= start) return undefined
  return { start, end, total: m[3] === '*' ? undefined : Number(m[3]) }
}

/**
 * Only for 200 and 206 (other statuses are errors of their own). Undefined when the body may be read as the
 * asked bytes: a 206 whose Content-Range starts where we asked, ends no later, and whose Content-Length (when
 * sent) agrees with it; or a 200 from byte 0 when `wholeFileOk`. A 206 may end early: the file is shorter
 * than we thought, and the reader's length check says so.
 */
export function checkRangeAnswer(a: RangeAnswer): RangeIgnoredError | ProtocolError | undefined {
  const asked = `bytes=${a.asked.start}-${a.asked.end - 1}`
  if (a.status === 200) {
    return a.asked.start === 0 && a.wholeFileOk ? undefined : new RangeIgnoredError(`the server ignored the Range request for ${a.path} (${asked}) and sent the whole file.`)
  }
  if (a.status !== 206) return new ProtocolError(`the server answered ${a.status} to a Range request for ${a.path}.`)
  const raw = header(a.headers, 'content-range')
  const cr = parseContentRange(raw)
  if (!cr || cr.start !== a.asked.start || cr.end > a.asked.end || (cr.total !== undefined && cr.end > cr.total)) {
    return new ProtocolError(`the server answered bytes ${raw ?? '(none)'} of ${a.path} when asked for ${asked}.`)
  }
  const length = header(a.headers, 'content-length')
  if (length !== undefined && Number(length) !== cr.end - cr.start) {
    return new ProtocolError(`the server sent Content-Length ${length} with bytes ${raw} of ${a.path}, which are ${cr.end - cr.start} bytes.`)
  }
  return undefined
}
