// The one edge between hfx and the network: every request is sent, and every body read, through here, and
// only HfxErrors come out. A connection can fail before the answer (connect, TLS, headers timeout) or in the
// middle of its body (reset, "other side closed", body timeout, a FIN before Content-Length): to the user
// both mean the network failed, so both become a NetworkError (exit 5) that keeps the undici or socket
// error as its cause, which is what retry/policy.ts reads to decide whether to try again. Before this, the
// body phase escaped raw in several places and a failure that persisted ended as "a bug in hfx", exit 1.
// One exception: a TLS certificate that did not check out is a CertificateError (exit 11, never retried),
// which says why and how to trust a private CA (hub/certificate-error.ts).
//
// Aborts become NetworkErrors too: every caller checks its own signal first and says what the abort meant
// (the user interrupted: InterruptedError; a metadata deadline: DeadlineError, hub/deadline.ts).
import type { Dispatcher } from 'undici'
import { type CertificateError, InterruptedError, NetworkError, ProtocolError, SlowConnectionError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'
import { certificateError } from './certificate-error.js'
import type { Http, RequestOptions } from './http.js'
import { FloorWindow, type SpeedFloor } from './speed-floor.js'

export type { SpeedFloor }

export type Answer = Dispatcher.ResponseData

/** "other side closed (UND_ERR_SOCKET)": the words for people, the code for scripts and the retry table. */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code
  const message = err instanceof Error ? err.message : String(err)
  if (typeof code !== 'string') return message
  return message && message !== code && !message.includes(code) ? `${message} (${code})` : code
}

/** The connection failed before an answer arrived; a certificate that did not check out says so (exit 11). */
export function connectError(url: string, err: unknown): NetworkError | CertificateError {
  return certificateError(url, err) ?? new NetworkError(redactUrl(url), reasonOf(err), { cause: err })
}

/** The connection failed while the answer's body was arriving. */
export function bodyError(url: string, err: unknown): NetworkError {
  return new NetworkError(redactUrl(url), reasonOf(err), { cause: err, midBody: true })
}

/** Sends one request; a connection that fails is a NetworkError. Any status comes back as an answer. */
export async function send(http: Http, url: string, opts: RequestOptions = {}): Promise<Answer> {
  try {
    return await http.request(url, opts)
  } catch (err) {
    throw connectError(url, err)
  }
}

/** Reads and discards a body we do not need (an error page, a redirect), so the connection can be reused. */
export async function discard(res: Answer): Promise<void> {
  await res.body.dump().catch(() => {})
}

/**
 * Waits until `bytes` more may be read: the pull's bandwidth cap (--limit-rate, pull/token-bucket.ts). While
 * it waits the body is not read, so undici pauses the socket and TCP slows the sender down: the cap holds
 * data back on the wire, never in memory.
 */
export type RateCap = (bytes: number) => Promise<void>

/** Marks the destroy() the speed floor did, so the error it causes is told apart from a real failure. */
class TooSlow extends Error {}

/**
 * The body's chunks; a broken connection is a NetworkError (or SlowConnectionError under `floor`). Errors
 * the consumer throws inside its loop pass through untouched. Breaking out of the loop closes the body.
 */
export async function* bodyChunks(res: Answer, url: string, floor?: SpeedFloor, cap?: RateCap): AsyncGenerator<Buffer> {
  let timer: NodeJS.Timeout | undefined
  const window = floor && floor.bytesPerSec > 0 ? new FloorWindow(floor, performance.now()) : undefined
  if (window && floor) {
    timer = setInterval(() => {
      if (window.tooSlow(performance.now())) res.body.destroy(new TooSlow())
    }, floor.windowMs)
    timer.unref()
  }
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      window?.got(chunk.length)
      yield chunk
      if (cap) {
        window?.pause(performance.now())
        await cap(chunk.length)
        window?.resume(performance.now())
      }
    }
  } catch (err) {
    if (err instanceof TooSlow && floor) throw new SlowConnectionError(redactUrl(url), floor.bytesPerSec, floor.windowMs)
    if (err instanceof InterruptedError) throw err // the cap's wait, cut short by the abort
    throw bodyError(url, err)
  } finally {
    clearInterval(timer)
    if (!res.body.destroyed) res.body.destroy()
  }
}

function limitText(limit: number): string {
  return limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`
}

/** The whole body, refused past `limit` bytes (a ProtocolError: the server sent more than any real answer). */
export async function readAll(res: Answer, url: string, limit: number, onChunk?: (n: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of bodyChunks(res, url)) {
    onChunk?.(chunk.length)
    size += chunk.length
    if (size > limit) throw new ProtocolError(`the answer from ${redactUrl(url)} is larger than ${limitText(limit)}; refusing to read it.`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
