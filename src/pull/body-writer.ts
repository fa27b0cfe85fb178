// A body on its way to disk: reads gathered into writes at the range's offsets, in pages shared by every
// connection of the thread, with the reader held back while the disk is behind. Used by both readers (the
// lean one and undici) on whichever thread receives (range-request.ts, receive-worker.ts).
import { NetworkError, ProtocolError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'
import type { Range } from './chunks.js'

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
 * On a slow connection a write takes seconds to gather, and a hard kill loses what it holds: written
 * after this long whatever its size, so a kill loses a fraction of a second per connection (part-state.ts).
 */
const WRITE_AFTER_MS = 250
/** A page with less room than this is left for the next one: a read into it would be a small one. */
const MIN_ROOM = 64 * 1024
/**
 * Reads land in pages of one size, whatever a write's size is (a write is a list of pages: writev). Buffers
 * of one write's size were unfit for the next request whenever the memory budget's share had changed: four
 * 1 GiB shards allocated ~1,100 of them, which the garbage collector held at the peak (BENCHMARKS.md).
 */
const PAGE = 128 * 1024

/** Called after each write lands on disk: where, the buffers (still valid for hashing), and how many bytes. */
export type OnWritten = (offset: number, bufs: Buffer[], n: number) => void

/** What sets a connection's write size: the pull's memory budget (memory-budget.ts), or a fixed size. */
export interface WriteSizer {
  readonly writeBuffer: number
  /** A connection starts reading; the returned function says it stopped. */
  join(): () => void
}

/** Writes `n` bytes from `bufs` at offset `at` of the partial file, in full. */
export type WriteAt = (bufs: Buffer[], n: number, at: number) => Promise<void>

/**
 * Pages not in use, on this thread (each receive thread has its own), shared by every connection: a page goes
 * back as soon as its write lands, so a pull holds the most its connections ever need at once, not the sum
 * of what each needed at its own worst. Dropped pages would wait for the garbage collector, which runs
 * rarely once reads land straight in them: a spare list of 128 pages still allocated ~2,000 for four 1 GiB
 * shards. So pages are kept up to a bound no pull reaches (the budget is 16 MiB).
 */
const SPARE: Buffer[] = []
const MAX_SPARE = (64 * 1024 * 1024) / PAGE

/**
 * Pages this thread's connections hold (being filled, or waiting for their write to land), and how many they
 * may hold before each must write what it has and wait for it: the pull's memory budget (16 MiB,
 * memory-budget.ts). Without the bound, a disk that stalled every connection at once (dirty pages being
 * flushed) let each fill its two writes' worth with the largest share it had had, and four 1 GiB shards held
 * twice the budget. (24 MiB left four shards at 157–169 MB peak RSS over HTTP, 16 MiB at 151–153, 12 MiB at
 * 146–152, at the same speed: what is left is not pages.)
 */
let pagesOut = 0
export const PAGES_OUT = (16 * 1024 * 1024) / PAGE

/** Pages this thread's connections hold now (for tests: 0 once every request ended). */
export function pagesHeld(): number {
  return pagesOut
}

function spare(pages: Buffer[]): void {
  pagesOut -= pages.length
  for (const p of pages) if (SPARE.length < MAX_SPARE) SPARE.push(p)
}

/**
 * Streams a body to disk at its range's offset, whichever reader brings it. Writes are chained (so they
 * land, and are hashed, in order) but not awaited one by one: the socket keeps being read while the disk
 * writes, up to two writes' worth ahead. Awaiting each write stalled the TCP window and halved
 * single-connection speed.
 *
 * Chunks the caller owns (undici's) are written as they are. The lean reader reads straight into pages
 * (room(), landedInPlace()), or hands over views of its own reused buffer, which are copied into them
 * (take()); a page is used again once written and hashed (the hashers are done with the buffers when
 * onWritten returns).
 */
export class BodyWriter {
  private readonly want: number
  private received = 0
  private written = 0
  private pending: Buffer[] = []
  private pendingBytes = 0
  private pendingSince = 0
  private writes: Promise<void> = Promise.resolve()
  /** The page being filled, how far, and where its part not yet handed to a write starts. */
  private landing: Buffer | undefined
  private landed = 0
  private handed = 0
  /** Filled pages whose last part is not yet handed to a write; back to SPARE once written. */
  private full: Buffer[] = []
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

  /** Where the next read may land: the rest of the page being filled, at least MIN_ROOM bytes. */
  room(): Buffer {
    if (!this.landing || this.landing.length - this.landed < MIN_ROOM) this.nextLanding()
    return this.landing!.subarray(this.landed)
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

  /**
   * What the reader must wait for before it reads on, if anything (it rejects once a write failed): the
   * writes handed out so far, when more than two writes' worth is read and not yet on disk; or, when this
   * thread's connections hold more pages than PAGES_OUT (a disk that stalls them all at once), this
   * connection's own bytes, written now even if short of a write, so that its pages come back.
   */
  caughtUp(): Promise<void> | undefined {
    const unwritten = this.received - this.written
    if (unwritten > 2 * this.size) return this.writes
    if (pagesOut <= PAGES_OUT || unwritten === 0) return undefined
    this.flush()
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

  /** Hands the pages to the next request's writer; none may be in use (every write landed). */
  private release(): void {
    this.leave?.()
    spare([...this.full, ...(this.landing ? [this.landing] : [])])
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
    this.landing = SPARE.pop() ?? Buffer.allocUnsafe(PAGE)
    pagesOut++
    this.landed = 0
    this.handed = 0
  }

  /** The current page's bytes not yet handed to a write join the pending ones. */
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
    })
    // The pages go back however the write ended: after a failed one (or one never made because an earlier
    // one failed) no write holds them, and a count that kept them out would shrink every later bound.
    // A failed write is reported when the reader next waits on `writes`; until then it must not count as unhandled.
    this.writes.finally(() => spare(reusable)).catch(() => {})
  }
}
