// One ranged GET, written at its offset in the partial file. It trusts nothing: the answer must pass
// hub/range-answer.ts's checklist (a 200 only when we asked for the whole file from byte 0), and the body
// must not run past the range. Each failure is a typed error the chunk loop knows how to retry.
import type { FileHandle } from 'node:fs/promises'
import type { Dispatcher } from 'undici'
import { HfxError, NetworkError, ProtocolError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import { fileAnswerError } from '../hub/error-from-response.js'
import { checkRangeAnswer } from '../hub/range-answer.js'
import * as transport from '../hub/transport.js'
import type { RateCap, SpeedFloor } from '../hub/transport.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { rangeHeader, type Range } from './chunks.js'
import type { MemoryBudget } from './memory-budget.js'

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
 * pull, the memory budget sets it (memory-budget.ts: 512 KiB for up to 16 connections, less for more).
 */
const WRITE_BUFFER = 512 * 1024
/**
 * On a slow connection a write buffer takes seconds to fill, and a hard kill loses what it holds: written
 * after this long whatever its size, so a kill loses a fraction of a second per connection (part-state.ts).
 */
const WRITE_AFTER_MS = 250

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
  memory?: MemoryBudget
}

/** Returns the bytes written; `onWritten` reports each write, so after a failure the caller knows how far it got. */
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
  const res = await transport.send(io.http, target.url, { headers: { range: rangeHeader(range) }, signal })
  const endpointOrigin = new URL(io.http.endpoint).origin
  const onHub = new URL(target.url).origin === endpointOrigin
  if (res.statusCode !== 206 && res.statusCode !== 200) {
    await transport.discard(res)
    if (res.statusCode === 403 && !onHub) throw new ExpiredUrlError(`the download URL for ${target.path} expired`)
    const location = res.headers.location
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      throw new RedirectedError(new URL(location, target.url).toString())
    }
    throw fileAnswerError({ status: res.statusCode, headers: res.headers, url: target.url }, target, io.http.endpoint, io.http.token?.source, serverWaitMs(res.headers))
  }
  const wrong = checkRangeAnswer({ status: res.statusCode, headers: res.headers, asked: range, wholeFileOk: wholeFile, path: target.path })
  if (wrong) {
    res.body.destroy()
    throw wrong
  }
  return writeBody(res, target.url, range, fd, onWritten, target.path, limits)
}

/** Writes `bufs` at `at` in full. writev: one syscall for many network reads, without joining them first. */
async function writeAt(fd: FileHandle, bufs: Buffer[], n: number, at: number): Promise<void> {
  const { bytesWritten } = await fd.writev(bufs, at)
  if (bytesWritten === n) return
  // A short write (rare on regular files): finish it from one joined buffer.
  const rest = Buffer.concat(bufs, n).subarray(bytesWritten)
  for (let off = 0; off < rest.length; ) {
    off += (await fd.write(rest, off, rest.length - off, at + bytesWritten + off)).bytesWritten
  }
}

/**
 * Streams the body to disk. Writes are chained (so they land, and are hashed, in order) but not awaited
 * one by one: the socket keeps being read while the disk writes, up to two writes' worth ahead (the memory
 * bound of a connection). Awaiting each write stalled the TCP window and halved single-connection speed.
 */
async function writeBody(
  res: Dispatcher.ResponseData,
  url: string,
  range: Range,
  fd: FileHandle,
  onWritten: OnWritten,
  path: string,
  limits: DownloadLimits,
): Promise<number> {
  const want = range.end - range.start
  let received = 0
  let written = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  let pendingSince = 0
  let writes: Promise<void> = Promise.resolve()
  // This connection's share of the pull's memory, looked up as others start and stop reading.
  const leave = limits.memory?.join()
  const gather = () => limits.memory?.writeBuffer ?? WRITE_BUFFER
  const flush = () => {
    if (pendingBytes === 0) return
    const bufs = pending
    const n = pendingBytes
    const at = range.start + received - n
    pending = []
    pendingBytes = 0
    writes = writes.then(async () => {
      await writeAt(fd, bufs, n, at)
      written += n
      onWritten(at, bufs, n)
    })
    // A failed write is reported when the loop next awaits `writes`; until then it must not count as unhandled.
    writes.catch(() => {})
  }
  try {
    for await (const chunk of transport.bodyChunks(res, url, limits.floor, limits.cap)) {
      if (received + chunk.length > want) {
        throw new ProtocolError(`the server sent more bytes than asked for ${path}.`)
      }
      received += chunk.length
      if (pendingBytes === 0) pendingSince = performance.now()
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes >= gather() || performance.now() - pendingSince >= WRITE_AFTER_MS) flush()
      if (received - written > 2 * gather()) await writes
    }
    flush()
    await writes
  } catch (err) {
    // Keep what arrived intact before the failure: it is valid data at a known offset (onWritten counts it).
    // After a failed write, nothing more is written: the chain stays rejected.
    flush()
    await writes.catch(() => {})
    throw err
  } finally {
    leave?.()
  }
  if (written < want) throw new ShortBodyError(redactUrl(url), path, written, want)
  return written
}
