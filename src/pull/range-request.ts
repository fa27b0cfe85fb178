// One ranged GET, written at its offset in the partial file. It trusts nothing: the answer must pass
// hub/range-answer.ts's checklist (a 200 only when we asked for the whole file from byte 0), and the body
// must not run past the range. Each failure is a typed error the chunk loop knows how to retry.
import { writev } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { HfxError, NetworkError, ProtocolError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import { fileAnswerError } from '../hub/error-from-response.js'
import type { Http, LeanPlan } from '../hub/http.js'
import type { LeanFallback } from '../hub/lean-client.js'
import { checkRangeAnswer } from '../hub/range-answer.js'
import * as transport from '../hub/transport.js'
import type { RateCap, SpeedFloor } from '../hub/transport.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { rangeHeader, type Range } from './chunks.js'

/** The CDN answered 403: the signed URL expired. Resolve again and continue where we were. */
export class ExpiredUrlError extends HfxError {
  override readonly code = 'URL_EXPIRED'
}

/** The Hub redirected the request (a renamed repo, or a mirror that keeps its files elsewhere). */
export class RedirectedError extends HfxError {
  override readonly code = 'REDIRECTED'
  constructor(readonly location: string) {
    super('redirected')
  }
}

/** The body ended cleanly before the range did (a truncated answer). Retried from where it stopped. */
export class ShortBodyError extends NetworkError {
  override readonly code = 'SHORT_BODY'
  constructor(url: string, path: string, written: number, want: number) {
    super(url, `the answer for ${path} ended after ${written} of ${want} bytes`, { midBody: true })
  }
}

/**
 * Network reads are gathered into writes of about this size: fewer syscalls, still bounded memory. Within a
 * pull, the memory budget sets it (memory-budget.ts: 512 KiB for up to 16 connections, less for more); a
 * connection holds at most two writes' worth read and not yet on disk, which bounds its memory.
 */
const WRITE_BUFFER = 512 * 1024
/**
 * On a slow connection a write buffer takes seconds to fill, and a hard kill loses what it holds: written
 * after this long whatever its size, so a kill loses a fraction of a second per connection (part-state.ts).
 */
const WRITE_AFTER_MS = 250
/** A write buffer with less room than this is left for the next one: a read into it would be a small one. */
const MIN_ROOM = 64 * 1024
/**
 * The most one read may bring into a write buffer, as the lean reader's own buffer (hub/lean-client.ts):
 * reads of up to 512 KiB saved a few hundredths of a CPU-s per GB and held ~8 MB more at the peak.
 */
const MAX_READ = 256 * 1024

/** Called after each write lands on disk: where, the buffers (still valid for hashing), and how many bytes. */
export type OnWritten = (offset: number, bufs: Buffer[], n: number) => void

export interface RangeTarget {
  url: string
  /** Where errors from the Hub origin are attributed. */
  repoId: string
  path: string
  commit: string
}

/**
 * The speed a connection must keep up (the floor), and what it shares with the others: the pull's bandwidth
 * cap, and its memory budget, which sets how much a connection gathers per write.
 */
export interface DownloadLimits {
  floor?: SpeedFloor
  cap?: RateCap
  memory?: WriteSizer
  /** Threads that receive lean requests off this one (receive-pool.ts); unset: this thread reads them. */
  threads?: Receiver
}

/** What sets a connection's write size: the pull's memory budget (memory-budget.ts), or a fixed size. */
export interface WriteSizer {
  readonly writeBuffer: number
  /** A connection starts reading; the returned function says it stopped. */
  join(): () => void
}

/** What a receive thread needs to fetch one range into the partial file by itself. */
export interface RemoteRange {
  plan: LeanPlan
  /** Where the answer's errors are attributed (answerError). */
  endpoint: string
  tokenSource?: string
  target: RangeTarget
  range: Range
  /** The partial file's descriptor: the thread writes at offsets in it; it stays open until the reply. */
  fd: number
  wholeFile: boolean
  floor?: SpeedFloor
}

/**
 * Receive threads (receive-pool.ts): fetch() resolves once every byte the thread wrote has landed (each one
 * reported to onWritten first) or rejects with the request's typed error, as fetchRange's own lean path.
 */
export interface Receiver {
  fetch(job: RemoteRange, onWritten: OnWritten, signal: AbortSignal, limits: Pick<DownloadLimits, 'cap' | 'memory'>): Promise<number | LeanFallback>
}

/** What the lean path needs of a HubIO; a receive thread builds one of its own. */
export interface LeanIO {
  http: Pick<Http, 'leanGet'>
  endpoint: string
  tokenSource?: string
}

/** Writes `n` bytes from `bufs` at offset `at` of the partial file, in full. */
export type WriteAt = (bufs: Buffer[], n: number, at: number) => Promise<void>

/**
 * Returns the bytes written; `onWritten` reports each write, so after a failure the caller knows how far it
 * got. The lean reader (hub/lean-client.ts) takes the request unless it says undici must (a proxy, an answer
 * it does not read itself), on this thread or on a receive thread; every answer passes the same checks and
 * ends in the same typed errors.
 */
export async function fetchRange(
  io: HubIO,
  target: RangeTarget,
  range: Range,
  fd: FileHandle,
  onWritten: OnWritten,
  signal: AbortSignal,
  wholeFile: boolean,
  limits: DownloadLimits = {},
): Promise<number> {
  const http = io.http
  const attribution = { endpoint: http.endpoint, tokenSource: http.token?.source }
  let lean: number | LeanFallback
  if (limits.threads) {
    const plan = http.leanPlan(target.url)
    lean = 'fallback' in plan ? plan : await limits.threads.fetch({ plan, ...attribution, target, range, fd: fd.fd, wholeFile, floor: limits.floor }, onWritten, signal, limits)
  } else {
    lean = await fetchRangeLean({ http, ...attribution }, target, range, fileWriter(fd), onWritten, signal, wholeFile, limits)
  }
  if (typeof lean === 'number') return lean
  const res = await transport.send(http, target.url, { headers: { range: rangeHeader(range) }, signal })
  const wrong = answerError(attribution, target, res.statusCode, res.headers, range, wholeFile)
  if (wrong) {
    if (res.statusCode === 200 || res.statusCode === 206) res.body.destroy()
    else await transport.discard(res)
    throw wrong
  }
  const writer = new BodyWriter(fileWriter(fd), range, onWritten, target.path, limits.memory)
  return writer.drain(async () => {
    for await (const chunk of transport.bodyChunks(res, target.url, limits.floor, limits.cap)) {
      writer.take(chunk, true)
      if (writer.behind()) await writer.settled()
    }
  }, target.url)
}

/**
 * fetchRange through the lean reader alone, on whichever thread calls it: the bytes written, or `{ fallback }`
 * when undici must send the request (nothing was written then).
 */
export async function fetchRangeLean(
  io: LeanIO,
  target: RangeTarget,
  range: Range,
  write: WriteAt,
  onWritten: OnWritten,
  signal: AbortSignal,
  wholeFile: boolean,
  limits: Omit<DownloadLimits, 'threads'> = {},
): Promise<number | LeanFallback> {
  const lean = await transport.sendLean(io.http, target.url, { headers: { range: rangeHeader(range) }, signal })
  if ('fallback' in lean) return lean
  const wrong = answerError(io, target, lean.status, lean.headers, range, wholeFile)
  if (wrong) {
    lean.abandon()
    throw wrong
  }
  const writer = new BodyWriter(write, range, onWritten, target.path, limits.memory)
  // The disk is behind: stop reading until it catches up, so TCP slows the sender (BodyWriter.behind).
  const keepUp = (flow: transport.LeanFlow) => {
    if (!writer.behind()) return
    const release = flow.hold()
    writer.settled().then(release, (err) => flow.stop(err))
  }
  const sink: transport.LeanSink = {
    data: (chunk, flow) => {
      writer.take(chunk, false)
      keepUp(flow)
    },
    room: () => writer.room(),
    landed: (n, flow) => {
      writer.landedInPlace(n)
      keepUp(flow)
    },
  }
  return writer.drain(() => transport.readLean(lean, target.url, sink, limits.floor, limits.cap), target.url)
}

/** What is wrong with an answer to a Range request, whichever reader got it: a typed error, or undefined. */
function answerError(
  io: { endpoint: string; tokenSource?: string },
  target: RangeTarget,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  range: Range,
  wholeFile: boolean,
): HfxError | undefined {
  if (status !== 206 && status !== 200) {
    const onHub = new URL(target.url).origin === new URL(io.endpoint).origin
    if (status === 403 && !onHub) return new ExpiredUrlError(`the download URL for ${target.path} expired`)
    const location = headers.location
    if (status >= 300 && status < 400 && typeof location === 'string') return new RedirectedError(new URL(location, target.url).toString())
    return fileAnswerError({ status, headers, url: target.url }, target, io.endpoint, io.tokenSource, serverWaitMs(headers))
  }
  return checkRangeAnswer({ status, headers, asked: range, wholeFileOk: wholeFile, path: target.path })
}

/** WriteAt for a file this thread opened. writev: one syscall for many network reads, without joining them. */
export function fileWriter(fd: FileHandle): WriteAt {
  return (bufs, n, at) => writeFully((b, pos) => fd.writev(b, pos).then((r) => r.bytesWritten), bufs, n, at)
}

/** WriteAt for a descriptor another thread opened (a receive thread writes the main thread's partial file). */
export function descriptorWriter(fd: number): WriteAt {
  const once = (b: Buffer[], pos: number) => new Promise<number>((resolve, reject) => writev(fd, b, pos, (err, n) => (err ? reject(err) : resolve(n))))
  return (bufs, n, at) => writeFully(once, bufs, n, at)
}

async function writeFully(writevAt: (bufs: Buffer[], at: number) => Promise<number>, bufs: Buffer[], n: number, at: number): Promise<void> {
  const written = await writevAt(bufs, at)
  if (written === n) return
  // A short write (rare on regular files): finish it from one joined buffer.
  const rest = Buffer.concat(bufs, n).subarray(written)
  for (let off = 0; off < rest.length; ) off += await writevAt([rest.subarray(off)], at + written + off)
}

/**
 * Streams a body to disk at its range's offset, whichever reader brings it. Writes are chained (so they
 * land, and are hashed, in order) but not awaited one by one: the socket keeps being read while the disk
 * writes, up to two writes' worth ahead. Awaiting each write stalled the TCP window and halved
 * single-connection speed.
 *
 * Chunks the caller owns (undici's) are written as they are. The lean reader reads straight into write
 * buffers of one write's size (room(), landedInPlace()), or hands over views of its own reused buffer,
 * which are copied into them (take()); a write buffer is used again once written and hashed (the hashers
 * are done with the buffers when onWritten returns).
 */
/**
 * Write buffers between one request and the next, on this thread (each worker thread has its own). Left to
 * the garbage collector instead, a pull held 30–45 MB more of them at its peak: few allocations happen
 * between two collections once reads land straight in the buffers, so dead ones wait long to be freed.
 */
const SPARE: Buffer[] = []
const MAX_SPARE = 32

function popSized(list: Buffer[], size: number): Buffer | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.length === size) return list.splice(i, 1)[0]
  return undefined
}

class BodyWriter {
  private readonly want: number
  private received = 0
  private written = 0
  private pending: Buffer[] = []
  private pendingBytes = 0
  private pendingSince = 0
  private writes: Promise<void> = Promise.resolve()
  /** The write buffer being filled, how far, and where its part not yet handed to a write starts. */
  private landing: Buffer | undefined
  private landed = 0
  private handed = 0
  /** Filled write buffers whose last part is not yet handed to a write; then free again once written. */
  private full: Buffer[] = []
  private free: Buffer[] = []
  /** Leaves the pull's memory budget: this connection no longer reads. */
  private readonly leave?: () => void

  constructor(
    private readonly write: WriteAt,
    private readonly range: Range,
    private readonly onWritten: OnWritten,
    private readonly path: string,
    private readonly memory?: WriteSizer,
  ) {
    this.want = range.end - range.start
    this.leave = memory?.join()
  }

  /** How much this connection gathers per write: its share of the pull's memory, looked up as others come and go. */
  private get size(): number {
    return this.memory?.writeBuffer ?? WRITE_BUFFER
  }

  take(chunk: Buffer, owned: boolean): void {
    this.count(chunk.length)
    if (owned) this.pending.push(chunk)
    else this.copy(chunk)
    this.counted(chunk.length)
  }

  /** Where the next read may land: the rest of the write buffer being filled, at least MIN_ROOM bytes. */
  room(): Buffer {
    if (!this.landing || this.landing.length - this.landed < MIN_ROOM) this.nextLanding()
    return this.landing!.subarray(this.landed, this.landed + MAX_READ)
  }

  /** `n` bytes were read into the start of the last room(): they are in place already. */
  landedInPlace(n: number): void {
    this.count(n)
    this.landed += n
    this.counted(n)
  }

  private count(n: number): void {
    if (this.received + n > this.want) throw new ProtocolError(`the server sent more bytes than asked for ${this.path}.`)
    this.received += n
    if (this.pendingBytes === 0) this.pendingSince = performance.now()
  }

  private counted(n: number): void {
    this.pendingBytes += n
    if (this.pendingBytes >= this.size || performance.now() - this.pendingSince >= WRITE_AFTER_MS) this.flush()
  }

  /** More than two writes' worth read and not yet on disk: the reader should wait for settled(). */
  behind(): boolean {
    return this.received - this.written > 2 * this.size
  }

  /** Resolves when the writes handed out so far landed; rejects once one failed (it stays rejected). */
  settled(): Promise<void> {
    return this.writes
  }

  /**
   * Runs a reader that feeds this writer, then finish(): the bytes written. On a failure, what arrived intact
   * is kept (abandon()); either way the buffers go to the next request (release()).
   */
  async drain(read: () => Promise<void>, url: string): Promise<number> {
    try {
      await read()
      return await this.finish(url)
    } catch (err) {
      await this.abandon()
      throw err
    } finally {
      this.release()
    }
  }

  /** Everything received is on disk: the bytes written, or a ShortBodyError when the body ended early. */
  private async finish(url: string): Promise<number> {
    this.flush()
    await this.writes
    if (this.written < this.want) throw new ShortBodyError(redactUrl(url), this.path, this.written, this.want)
    return this.written
  }

  /**
   * Keeps what arrived intact before a failure: it is valid data at a known offset (onWritten counts it).
   * After a failed write nothing more is written: the chain stays rejected.
   */
  private async abandon(): Promise<void> {
    this.flush()
    await this.writes.catch(() => {})
  }

  /** Hands the write buffers to the next request's writer; none may be in use (every write landed). */
  private release(): void {
    this.leave?.()
    for (const b of [...this.free, ...this.full, ...(this.landing ? [this.landing] : [])]) if (SPARE.length < MAX_SPARE) SPARE.push(b)
    this.free = []
    this.full = []
    this.landing = undefined
  }

  private copy(chunk: Buffer): void {
    for (let from = 0; from < chunk.length; ) {
      if (!this.landing || this.landed === this.landing.length) this.nextLanding()
      const n = chunk.copy(this.landing!, this.landed, from)
      this.landed += n
      from += n
    }
  }

  private nextLanding(): void {
    if (this.landing) {
      this.handOut()
      this.full.push(this.landing)
    }
    // Buffers of the size a write is now: a buffer of another size (the budget changed) is left to the GC.
    const size = this.size
    this.landing = popSized(this.free, size) ?? popSized(SPARE, size) ?? Buffer.allocUnsafe(size)
    this.landed = 0
    this.handed = 0
  }

  /** The current write buffer's bytes not yet handed to a write join the pending ones. */
  private handOut(): void {
    if (!this.landing || this.landed === this.handed) return
    this.pending.push(this.landing.subarray(this.handed, this.landed))
    this.handed = this.landed
  }

  private flush(): void {
    this.handOut()
    if (this.pendingBytes === 0) return
    const bufs = this.pending
    const n = this.pendingBytes
    const at = this.range.start + this.received - n
    const reusable = this.full
    this.pending = []
    this.pendingBytes = 0
    this.full = []
    this.writes = this.writes.then(async () => {
      await this.write(bufs, n, at)
      this.written += n
      this.onWritten(at, bufs, n)
      this.free.push(...reusable)
    })
    // A failed write is reported when the reader next waits on `writes`; until then it must not count as unhandled.
    this.writes.catch(() => {})
  }
}
