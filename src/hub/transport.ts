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
import { MalformedAnswer } from './answer-framer.js'
import type { Http, RequestOptions } from './http.js'
import type { BodySink, LeanAnswer, LeanResult } from './lean-client.js'
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

/**
 * Sends a GET of file bytes through the lean reader (hub/lean-client.ts); `{ fallback }` means send() it.
 * Failures are those of send(), and an answer that is not HTTP at all, or breaks the reader's limits, is a
 * ProtocolError: the server is broken or hostile, and asking again gets the same.
 */
export async function sendLean(http: Pick<Http, 'leanGet'>, url: string, opts: Pick<RequestOptions, 'headers' | 'signal' | 'timeoutMs'> = {}): Promise<LeanResult> {
  try {
    return await http.leanGet(url, opts)
  } catch (err) {
    if (err instanceof MalformedAnswer) throw new ProtocolError(`${redactUrl(url)} sent an answer that is not valid HTTP/1.1: ${err.message}.`)
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
 * The speed floor over one body: a window counting its bytes, checked every windowMs; `cut` ends the body
 * with a TooSlow when the window fell under the floor. Undefined without a floor. stop() when the body ends.
 */
function watchFloor(floor: SpeedFloor | undefined, cut: (err: TooSlow) => void): { window: FloorWindow; stop(): void } | undefined {
  if (!floor || floor.bytesPerSec <= 0) return undefined
  const window = new FloorWindow(floor, performance.now())
  const timer = setInterval(() => {
    if (window.tooSlow(performance.now())) cut(new TooSlow())
  }, floor.windowMs)
  timer.unref()
  return { window, stop: () => clearInterval(timer) }
}

/** What a body's failure means for the caller: the floor's SlowConnectionError, an interrupt, or a NetworkError. */
function bodyFailure(err: unknown, url: string, floor: SpeedFloor | undefined): Error {
  if (err instanceof TooSlow && floor) return new SlowConnectionError(redactUrl(url), floor.bytesPerSec, floor.windowMs)
  if (err instanceof InterruptedError) return err // the cap's wait, cut short by the abort
  return bodyError(url, err)
}

/**
 * The body's chunks; a broken connection is a NetworkError (or SlowConnectionError under `floor`). Errors
 * the consumer throws inside its loop pass through untouched. Breaking out of the loop closes the body.
 */
export async function* bodyChunks(res: Answer, url: string, floor?: SpeedFloor, cap?: RateCap): AsyncGenerator<Buffer> {
  const watch = watchFloor(floor, (err) => res.body.destroy(err))
  const window = watch?.window
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
    throw bodyFailure(err, url, floor)
  } finally {
    watch?.stop()
    if (!res.body.destroyed) res.body.destroy()
  }
}

/** What a lean body's consumer may do from inside its callback. */
export interface LeanFlow {
  /** Stop reading until the returned function is called. */
  hold(): () => void
  /** End the body with `err`, which read rejects with untouched (a failed write). */
  stop(err: Error): void
}

/** A lean body's sink, as lean-client.ts's BodySink, with the flow control of readLean. */
export interface LeanSink {
  data(chunk: Buffer, flow: LeanFlow): void
  room?(): Buffer
  landed?(n: number, flow: LeanFlow): void
}

/**
 * bodyChunks() for the lean reader: the same speed floor, bandwidth cap and error mapping, pushed instead of
 * pulled. What the sink throws, or passes to stop(), comes out of readLean untouched.
 */
export async function readLean(answer: LeanAnswer, url: string, sink: LeanSink, floor?: SpeedFloor, cap?: RateCap): Promise<void> {
  let own: unknown
  const flow: LeanFlow = {
    hold: () => answer.hold(),
    stop: (err) => {
      own ??= err
      answer.abandon(err)
    },
  }
  const watch = watchFloor(floor, (err) => answer.abandon(err))
  const window = watch?.window
  // The cap's last wait is awaited too, as bodyChunks() awaits it after the last chunk.
  let capped: Promise<void> = Promise.resolve()
  const after = (n: number, give: () => void) => {
    window?.got(n)
    try {
      give()
    } catch (err) {
      own ??= err
      throw err
    }
    if (cap) {
      const release = answer.hold()
      window?.pause(performance.now())
      capped = cap(n).then(() => {
        window?.resume(performance.now())
        release()
      })
      capped.catch((err) => answer.abandon(err))
    }
  }
  const landed = sink.landed
  const read: BodySink = {
    data: (chunk) => after(chunk.length, () => sink.data(chunk, flow)),
    room: sink.room && (() => sink.room!()),
    landed: landed && ((n) => after(n, () => landed(n, flow))),
  }
  try {
    await answer.read(read)
    await capped
  } catch (err) {
    if (own !== undefined && err === own) throw err
    throw bodyFailure(err, url, floor)
  } finally {
    watch?.stop()
    answer.abandon() // a no-op once the body ended; otherwise the connection must not be reused
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
