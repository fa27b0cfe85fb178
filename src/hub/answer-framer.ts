// The HTTP/1.1 answer to one GET, read byte by byte as it arrives on a socket: the head (status line and
// headers, with limits a hostile server cannot push past), then a body framed by Content-Length. This is the
// lean reader's parser (hub/lean-client.ts); it is small because it only reads what a CDN answers to a
// ranged GET of immutable bytes. Anything else it can still parse (chunked, HTTP/1.0, a 1xx, a body until
// close) is named by leanFraming() so the request goes through undici instead. Pure: bytes in, a verdict out.

/** undici's default (maxHeaderSize): a real CDN head is well under 2 KiB, a signed URL's cookies included. */
export const MAX_HEAD_BYTES = 16 * 1024
/** More header lines than any CDN sends: a head of thousands of one-letter headers is an attack on the parser. */
export const MAX_HEADERS = 200

export type Headers = Record<string, string | string[]>

export interface AnswerHead {
  /** "1.1", "1.0". */
  version: string
  status: number
  /** Lower-case names; a repeated header is an array (undici's shape, what range-answer.ts reads). */
  headers: Headers
}

/** The server's bytes are not an HTTP/1.x answer, or break a limit. */
export class MalformedAnswer extends Error {}

const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: [^\r\n]*)?$/
// RFC 9110 token characters; a header name with anything else (a space before the colon) is refused.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Field values: visible characters, spaces and tabs, and obs-text; never a control character (NUL, CR, LF).
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

const CRLFCRLF = Buffer.from('\r\n\r\n')

export function parseHead(text: string): AnswerHead {
  const lines = text.split('\r\n')
  const m = STATUS_LINE.exec(lines[0] ?? '')
  if (!m) throw new MalformedAnswer(`the status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))} is not HTTP/1.x`)
  if (lines.length - 1 > MAX_HEADERS) throw new MalformedAnswer(`more than ${MAX_HEADERS} header lines`)
  const headers: Headers = Object.create(null)
  for (const line of lines.slice(1)) {
    // A folded line (obs-fold) is deprecated and a classic request-smuggling vector: refused, as llhttp does.
    const colon = line.indexOf(':')
    const name = colon > 0 ? line.slice(0, colon) : ''
    if (!NAME.test(name)) throw new MalformedAnswer(`the header line ${JSON.stringify(line.slice(0, 80))} is malformed`)
    const value = line.slice(colon + 1).trim()
    if (!VALUE.test(value)) throw new MalformedAnswer(`the header ${name} holds control characters`)
    const key = name.toLowerCase()
    const had = headers[key]
    headers[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value]
  }
  return { version: `${m[1]}.${m[2]}`, status: Number(m[3]), headers }
}

/**
 * How the body of a 200 or 206 is read: `length` bytes, or why this answer is left to undici. Undefined
 * framing (HTTP/1.0, no Content-Length: the body runs until the server closes) and chunked encoding are
 * legal, just not what a CDN sends for a range; undici reads them, and the same checks apply there.
 */
export type Framing = { length: number } | { fallback: string }

export function leanFraming(head: AnswerHead): Framing {
  if (head.version !== '1.1') return { fallback: `HTTP/${head.version}` }
  if (head.status < 200) return { fallback: `an interim ${head.status} answer` }
  if (head.headers['transfer-encoding'] !== undefined) return { fallback: 'Transfer-Encoding' }
  const raw = head.headers['content-length']
  if (raw === undefined) return { fallback: 'no Content-Length' }
  // Repeated Content-Length values must agree (RFC 9112 §6.3); disagreeing ones frame two different bodies.
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim())
  if (!values.every((v) => /^\d{1,16}$/.test(v) && v === values[0])) throw new MalformedAnswer(`Content-Length ${JSON.stringify(String(raw))} is not one number`)
  return { length: Number(values[0]) }
}

/**
 * Reads one answer as it arrives: push() every read; the head is parsed once its blank line is in, then body
 * bytes go to `onBody` (a view into the read's own buffer, valid only during the call) until `length`.
 */
export class AnswerFramer {
  head: AnswerHead | undefined
  /** Body bytes still to come; set by expectBody() once the head was judged. */
  private left = -1
  /** The head's bytes so far (at most MAX_HEAD_BYTES): copied, since each read's buffer is reused. */
  private headBuf: Buffer | undefined
  private headLen = 0
  /** Bytes that arrived after the body ended: the connection is out of step and must not be reused. */
  extra = false

  constructor(private readonly onBody: (buf: Buffer, start: number, end: number) => void) {}

  /** Body bytes still expected (0 once complete; -1 before expectBody()). */
  get remaining(): number {
    return this.left
  }

  /**
   * Feeds buf[start, end). Returns where the head ended in `buf` the moment it did (the caller judges it and
   * calls expectBody(), then pushes the rest), or `end` when every byte was taken.
   */
  push(buf: Buffer, start: number, end: number): number {
    if (this.head === undefined) return this.pushHead(buf, start, end)
    if (this.left < 0) throw new Error('expectBody() was not called after the head')
    const n = Math.min(this.left, end - start)
    if (n > 0) {
      this.left -= n
      this.onBody(buf, start, start + n)
    }
    if (start + n < end) this.extra = true
    return end
  }

  expectBody(length: number): void {
    this.left = length
  }

  private pushHead(buf: Buffer, start: number, end: number): number {
    this.headBuf ??= Buffer.allocUnsafe(MAX_HEAD_BYTES)
    const room = MAX_HEAD_BYTES - this.headLen
    const take = Math.min(room, end - start)
    const from = Math.max(0, this.headLen - 3) // the blank line may straddle two reads
    buf.copy(this.headBuf, this.headLen, start, start + take)
    this.headLen += take
    const at = this.headBuf.subarray(0, this.headLen).indexOf(CRLFCRLF, from)
    if (at < 0) {
      if (this.headLen >= MAX_HEAD_BYTES) throw new MalformedAnswer(`the head is larger than ${MAX_HEAD_BYTES / 1024} KiB`)
      return end
    }
    this.head = parseHead(this.headBuf.toString('latin1', 0, at))
    this.headBuf = undefined
    // The head ended `headLen - (at + 4)` bytes before the last byte copied from this read.
    return start + take - (this.headLen - (at + 4))
  }
}
