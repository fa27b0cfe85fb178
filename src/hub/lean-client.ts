// The lean reader: HTTP/1.1 GETs of immutable file bytes over plain `net`/`tls` sockets, beside undici (which
// keeps the API calls, proxies and everything else; hub/http.ts decides which one a request takes).
//
// Why it exists: receiving through undici cost 2.2–2.3 CPU-s per GB on loopback, against 0.5–0.6 for the
// same ranges read with `onread` into one reused buffer per socket (BENCHMARKS.md). undici copies every
// read into llhttp's wasm memory and hands the body on as a stream of fresh 64 KiB buffers; here each read
// lands in one buffer the client reuses and is passed, as a view valid only during the call, to a sink
// that copies it where it is going (the pages of pull/body-writer.ts).
//
// What it reads itself is narrow on purpose: an HTTP/1.1 answer whose body Content-Length frames. Anything
// else legal (chunked, HTTP/1.0, a 1xx, no length) comes back as `{ fallback }` before a body byte is taken,
// and the caller asks undici; such an origin then goes to undici directly. Failures are undici's own error
// classes and codes (other side closed, headers/body timeout, connect timeout, aborted), so the transport
// edge, the retry table and the chunk loop treat both readers' failures alike.
//
// Everything is per instance (pools, buffers): a worker thread can hold a client of its own.
import net from 'node:net'
import tls from 'node:tls'
import { errors } from 'undici'
import { AnswerFramer, leanFraming, type Headers } from './answer-framer.js'

/**
 * The read buffer every socket of a client reads into. One is enough: a read and its callback run as one
 * synchronous step on the client's thread, and the callback copies what it keeps. 256 KiB reads took the
 * receive's system time from 0.33 to 0.18 s per GB on loopback against 64 KiB ones (fewer syscalls).
 */
const READ_BUFFER = 256 * 1024
/** An idle connection is closed after this long: under Node's (and nginx's) 5 s keep-alive, so we close first. */
const IDLE_MS = 4000
const MAX_IDLE_PER_ORIGIN = 64

export interface LeanRequest {
  url: string
  /** Every header but Host (Range, User-Agent, credentials: the caller's rules decide). */
  headers: Record<string, string>
  signal?: AbortSignal
  /** No answer head, or no body byte while reading, for this long: undici's headersTimeout and bodyTimeout. */
  timeoutMs: number
}

/** Where a body goes. Its callbacks may take hold() to stop reading until they let go. */
export interface BodySink {
  /** Body bytes in a buffer the reader reuses: valid only during the call, so copied if kept. */
  data(chunk: Buffer): void
  /**
   * Memory of the sink's own where the socket may read next (the page being filled), so the bytes
   * need no copy; asked before each read while the body lasts. Without it, every read goes through data().
   */
  room?(): Buffer
  /** `n` body bytes were read into the start of the buffer room() gave last. */
  landed?(n: number): void
}

/** The answer's head. Only a 200 or 206 has a body to read(); any other answer's connection is closed. */
export interface LeanAnswer {
  status: number
  headers: Headers
  /** Reads the body into `sink`; resolves once Content-Length bytes arrived. */
  read(sink: BodySink): Promise<void>
  /** Stops reading until the returned function is called (a sink writing, a bandwidth cap waiting). */
  hold(): () => void
  /** Ends the answer without reading (the rest of) its body; read() rejects with `err`. Never reused. */
  abandon(err?: Error): void
}

/** This answer is left to undici (why, for tests and debugging). */
export interface LeanFallback {
  fallback: string
}

export type LeanResult = LeanAnswer | LeanFallback

/** A reused connection that the server closed before answering: the request goes out again on a new one. */
class StaleConnection extends Error {}

/** The peer closed or reset the connection (not a timeout, not an abort). */
function closedUnder(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return err instanceof errors.SocketError || code === 'ECONNRESET' || code === 'EPIPE'
}

export class LeanClient {
  private readonly idle = new Map<string, Conn[]>()
  private readonly undiciOnly = new Map<string, string>()
  private closed = false
  /** @internal */
  readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER)

  constructor(private readonly connectTimeoutMs: number) {}

  async get(req: LeanRequest): Promise<LeanResult> {
    const url = new URL(req.url)
    const known = this.undiciOnly.get(url.origin)
    if (known) return { fallback: known }
    for (const v of Object.values(req.headers)) {
      if (/[\r\n\0]/.test(v)) throw new errors.InvalidArgumentError('invalid header value')
    }
    const reused = this.takeIdle(url.origin)
    if (reused) {
      try {
        return await reused.exchange(url, req)
      } catch (err) {
        if (!(err instanceof StaleConnection)) throw err
      }
    }
    return new Conn(this, url, this.connectTimeoutMs).exchange(url, req)
  }

  /** Closes idle connections; those in use close when their answer ends. */
  close(): void {
    this.closed = true
    for (const list of this.idle.values()) for (const c of list) c.destroy()
    this.idle.clear()
  }

  /** @internal An answer from this origin needs undici: later requests go there directly. */
  undiciFor(origin: string, why: string): void {
    this.undiciOnly.set(origin, why)
  }

  /** @internal */
  release(c: Conn): void {
    const list = this.idle.get(c.origin) ?? []
    if (this.closed || list.length >= MAX_IDLE_PER_ORIGIN) return c.destroy()
    list.push(c)
    this.idle.set(c.origin, list)
  }

  /** @internal */
  forget(c: Conn): void {
    const list = this.idle.get(c.origin)
    const i = list ? list.indexOf(c) : -1
    if (i >= 0) list!.splice(i, 1)
  }

  private takeIdle(origin: string): Conn | undefined {
    return this.idle.get(origin)?.pop()
  }
}

type Phase = 'idle' | 'head' | 'waiting' | 'body'

/** One socket, one exchange at a time (no pipelining). */
class Conn {
  readonly origin: string
  private readonly socket: net.Socket
  private connected = false
  private connectTimer: NodeJS.Timeout | undefined
  private used = false
  private phase: Phase = 'idle'
  private timeoutMs = 0
  private framer: AnswerFramer | undefined
  /** Body bytes that came in the same read as the end of the head, kept until read() is called. */
  private leftover: Buffer | undefined
  private gotBytes = false
  private holds = 0
  /** Counts exchanges, so a hold let go after its answer ended cannot resume the next one. */
  private gen = 0
  private keepAlive = true
  private sink: BodySink | undefined
  /** The sink's memory the socket reads into next, if it lent some (room()). */
  private lent: Buffer | undefined
  private failure: Error | undefined
  private signal: AbortSignal | undefined
  private onAbort = () => this.fail(new errors.RequestAbortedError())
  private head: { resolve(r: LeanResult): void; reject(err: unknown): void } | undefined
  private body: { resolve(): void; reject(err: unknown): void } | undefined

  constructor(
    private readonly client: LeanClient,
    url: URL,
    connectTimeoutMs: number,
  ) {
    this.origin = url.origin
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const secure = url.protocol === 'https:'
    const port = Number(url.port) || (secure ? 443 : 80)
    // Node asks for the buffer of each next read after every read: the body's sink lends its own memory.
    const onread = { buffer: () => this.nextReadBuffer(), callback: (n: number, buf: Buffer) => this.onRead(n, buf) }
    // TLS with Node's default CAs (NODE_EXTRA_CA_CERTS included) and SNI, as undici's connector does.
    this.socket = secure
      ? // @types/node lacks `onread` on tls.connect; Node has taken it since v12.
        tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], onread } as tls.ConnectionOptions)
      : net.connect({ host, port, onread })
    this.socket.setNoDelay(true)
    this.connectTimer = setTimeout(() => this.fail(new errors.ConnectTimeoutError()), connectTimeoutMs)
    this.socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.connected = true
      clearTimeout(this.connectTimer)
      if (this.phase !== 'idle') this.socket.setTimeout(this.timeoutMs)
    })
    this.socket.on('error', (err) => this.fail(err))
    this.socket.on('end', () => this.fail(new errors.SocketError('other side closed')))
    this.socket.on('close', () => this.fail(new errors.SocketError('other side closed')))
    this.socket.on('timeout', () => {
      if (this.phase === 'idle') return this.destroy()
      this.fail(this.phase === 'head' ? new errors.HeadersTimeoutError() : new errors.BodyTimeoutError())
    })
  }

  exchange(url: URL, req: LeanRequest): Promise<LeanResult> {
    const reused = this.used
    this.used = true
    this.phase = 'head'
    this.timeoutMs = req.timeoutMs
    this.gotBytes = false
    this.failure = undefined
    this.gen++
    this.holds = 0
    this.framer = new AnswerFramer((buf, start, end) => {
      // Bytes read into the sink's own memory start at its offset 0 (a body read never carries head bytes).
      if (buf === this.lent) this.sink?.landed?.(end - start)
      else this.sink?.data(buf.subarray(start, end))
    })
    this.socket.ref()
    this.socket.resume()
    if (this.connected) this.socket.setTimeout(req.timeoutMs)
    const result = new Promise<LeanResult>((resolve, reject) => {
      this.head = {
        resolve,
        // A reused socket the server closed while idle: the request never reached it, send it again.
        reject: (err) => reject(reused && !this.gotBytes && closedUnder(err) ? new StaleConnection() : err),
      }
    })
    this.signal = req.signal
    if (req.signal?.aborted) this.onAbort()
    else req.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (this.socket.destroyed) {
      this.fail(new errors.SocketError('other side closed'))
      return result
    }
    let text = `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`
    for (const [k, v] of Object.entries(req.headers)) text += `${k}: ${v}\r\n`
    this.socket.write(`${text}\r\n`)
    return result
  }

  destroy(): void {
    clearTimeout(this.connectTimer)
    this.client.forget(this)
    this.socket.destroy()
  }

  private onRead(n: number, buf: Buffer): boolean {
    const framer = this.framer
    if (this.phase === 'waiting') {
      // Paused, yet more arrived in the same turn (TLS can decrypt several records at once): keep it for read().
      this.leftover = Buffer.concat([this.leftover ?? Buffer.alloc(0), buf.subarray(0, n)])
      return false
    }
    if (this.phase === 'idle' || !framer) {
      // Bytes nobody asked for: the connection is out of step with its requests.
      this.fail(new errors.SocketError('the server sent bytes outside an answer'))
      return false
    }
    this.gotBytes = true
    try {
      if (this.phase === 'head') {
        const at = framer.push(buf, 0, n)
        if (framer.head) this.headArrived(buf, at, n)
      } else {
        framer.push(buf, 0, n)
        if (framer.remaining === 0) this.bodyDone()
      }
    } catch (err) {
      this.fail(err as Error)
    }
    // headArrived() may have moved the phase on (TypeScript cannot see it).
    return this.holds === 0 && (this.phase as Phase) !== 'waiting'
  }

  private headArrived(buf: Buffer, at: number, n: number): void {
    const framer = this.framer!
    const head = framer.head!
    const gen = this.gen
    const answer = (status: number): LeanAnswer => ({
      status,
      headers: head.headers,
      read: (sink) => this.read(sink),
      hold: () => (gen === this.gen ? this.hold() : () => {}),
      abandon: (err) => {
        // Only this answer's own exchange: once it ended, the connection may be serving the next one.
        if (gen === this.gen && this.phase !== 'idle') this.fail(err ?? new errors.RequestAbortedError())
      },
    })
    const framing = leanFraming(head) // throws on a malformed Content-Length: fail() settles the head
    const settle = this.head!
    this.head = undefined
    if (head.status !== 200 && head.status !== 206) {
      if (head.version !== '1.1' || head.status < 200) return this.fallBack(settle, 'fallback' in framing ? framing.fallback : `HTTP ${head.status}`)
      // An error, a redirect: the caller needs the status and headers, never the body.
      this.phase = 'waiting'
      this.failure = new errors.RequestAbortedError('not read')
      this.destroy()
      return settle.resolve(answer(head.status))
    }
    if ('fallback' in framing) return this.fallBack(settle, framing.fallback)
    framer.expectBody(framing.length)
    this.keepAlive = !/\bclose\b/i.test(String(head.headers.connection ?? ''))
    if (at < n) this.leftover = Buffer.from(buf.subarray(at, n))
    this.phase = 'waiting'
    this.socket.setTimeout(0)
    this.socket.pause()
    settle.resolve(answer(head.status))
  }

  private fallBack(settle: NonNullable<Conn['head']>, why: string): void {
    this.client.undiciFor(this.origin, why)
    this.phase = 'idle'
    this.destroy()
    settle.resolve({ fallback: why })
  }

  private read(sink: BodySink): Promise<void> {
    if (this.failure || this.phase !== 'waiting') return Promise.reject(this.failure ?? new Error('the answer was read already'))
    const framer = this.framer!
    this.sink = sink
    this.phase = 'body'
    const done = new Promise<void>((resolve, reject) => {
      this.body = { resolve, reject }
    })
    const rest = this.leftover
    this.leftover = undefined
    try {
      if (rest) framer.push(rest, 0, rest.length)
      if (framer.remaining === 0) this.bodyDone()
      else if (this.holds === 0) this.flow()
    } catch (err) {
      this.fail(err as Error)
    }
    return done
  }

  private nextReadBuffer(): Buffer {
    const sink = this.sink
    this.lent = this.phase === 'body' && sink?.room && sink.landed ? sink.room() : undefined
    return this.lent ?? this.client.readBuffer
  }

  private hold(): () => void {
    this.holds++
    this.socket.pause()
    this.socket.setTimeout(0) // the inactivity timeout counts only while we read, as undici's does
    const gen = this.gen
    let released = false
    return () => {
      if (released || gen !== this.gen) return
      released = true
      if (--this.holds === 0 && this.phase === 'body') this.flow()
    }
  }

  private flow(): void {
    this.socket.setTimeout(this.timeoutMs)
    this.socket.resume()
  }

  private bodyDone(): void {
    const body = this.body
    const extra = this.framer?.extra
    this.finish()
    this.body = undefined
    // More bytes than Content-Length: whatever they are, they are not the next answer's; never reuse it.
    if (extra || !this.keepAlive) this.destroy()
    else {
      this.socket.resume() // an idle socket is read, so a close (or stray bytes) is noticed at once
      this.socket.setTimeout(IDLE_MS)
      this.socket.unref()
      this.client.release(this)
    }
    body?.resolve()
  }

  private finish(): void {
    this.phase = 'idle'
    this.framer = undefined
    this.sink = undefined
    this.holds = 0
    this.leftover = undefined
    this.signal?.removeEventListener('abort', this.onAbort)
    this.signal = undefined
  }

  private fail(err: Error): void {
    const { head, body } = this
    this.failure ??= err
    this.head = undefined
    this.body = undefined
    this.finish()
    this.destroy()
    head?.reject(err)
    body?.reject(err)
  }
}

