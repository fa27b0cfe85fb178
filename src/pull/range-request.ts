// One ranged GET, written at its offset in the partial file. It trusts nothing: the answer must pass
// hub/range-answer.ts's checklist (a 200 only when we asked for the whole file from byte 0), and the body
// must not run past the range. Each failure is a typed error the chunk loop knows how to retry.
import { writev } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { HfxError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import { fileAnswerError } from '../hub/error-from-response.js'
import type { Http, LeanPlan } from '../hub/http.js'
import type { LeanFallback } from '../hub/lean-client.js'
import { checkRangeAnswer } from '../hub/range-answer.js'
import * as transport from '../hub/transport.js'
import type { RateCap, SpeedFloor } from '../hub/transport.js'
import { serverWaitMs } from '../retry/policy.js'
import { BodyWriter, type OnWritten, type WriteAt, type WriteSizer } from './body-writer.js'
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
      await writer.caughtUp()
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
  // The disk is behind: stop reading until it catches up, so TCP slows the sender (BodyWriter.caughtUp).
  const keepUp = (flow: transport.LeanFlow) => {
    const wait = writer.caughtUp()
    if (!wait) return
    const release = flow.hold()
    wait.then(release, (err) => flow.stop(err))
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
